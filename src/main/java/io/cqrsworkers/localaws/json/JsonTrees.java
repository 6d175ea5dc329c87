package io.cqrsworkers.localaws.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.node.ValueNode;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;

/**
 * Jackson trees read from and written to bytes straight on the streaming parser and generator: the same trees and
 * the same text as {@link ObjectMapper#readTree(byte[])} and {@link ObjectMapper#writeValueAsBytes} with a default
 * mapper, without databind's per-call context (type lookups, serializer providers), which cost as much as the
 * parsing itself on small requests.
 */
public final class JsonTrees {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();
    private static final JsonNodeFactory NODES = MAPPER.getNodeFactory();

    private JsonTrees() {
    }

    /**
     * The first JSON value of {@code bytes} (anything after it is not read, as the default mapper does), or a
     * {@link MissingNode} when there is none.
     *
     * @throws IOException when the text is not JSON
     */
    public static JsonNode read(byte[] bytes) throws IOException {
        try (JsonParser p = FACTORY.createParser(bytes)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return MissingNode.getInstance();
            }
            return value(p, t);
        }
    }

    /** Builds containers iteratively, so deep nesting is limited by the parser's constraints, not the stack. */
    private static JsonNode value(JsonParser p, JsonToken first) throws IOException {
        if (first != JsonToken.START_OBJECT && first != JsonToken.START_ARRAY) {
            return scalar(p, first);
        }
        ArrayDeque<JsonNode> open = new ArrayDeque<>();
        JsonNode root = first == JsonToken.START_OBJECT ? NODES.objectNode() : NODES.arrayNode();
        JsonNode current = root;
        while (true) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new IOException("unexpected end of JSON");
            }
            String name = null;
            if (current instanceof ObjectNode) {
                if (t == JsonToken.END_OBJECT) {
                    if (open.isEmpty()) {
                        return root;
                    }
                    current = open.pop();
                    continue;
                }
                name = p.currentName();
                t = p.nextToken();
            } else if (t == JsonToken.END_ARRAY) {
                if (open.isEmpty()) {
                    return root;
                }
                current = open.pop();
                continue;
            }
            JsonNode v;
            boolean container = false;
            if (t == JsonToken.START_OBJECT) {
                v = NODES.objectNode();
                container = true;
            } else if (t == JsonToken.START_ARRAY) {
                v = NODES.arrayNode();
                container = true;
            } else {
                v = scalar(p, t);
            }
            if (current instanceof ObjectNode o) {
                o.replace(name, v);
            } else {
                ((ArrayNode) current).add(v);
            }
            if (container) {
                open.push(current);
                current = v;
            }
        }
    }

    /** As databind's JsonNodeDeserializer: ints, longs and big integers by size, other numbers as doubles. */
    private static JsonNode scalar(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case VALUE_STRING:
                return NODES.textNode(p.getText());
            case VALUE_NUMBER_INT:
                return switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                };
            case VALUE_NUMBER_FLOAT:
                if (p.getNumberType() == JsonParser.NumberType.BIG_DECIMAL) {
                    return NODES.numberNode(p.getDecimalValue());
                }
                return NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            case VALUE_EMBEDDED_OBJECT:
                return NODES.pojoNode(p.getEmbeddedObject());
            default:
                throw new IOException("unexpected token " + t);
        }
    }

    /** {@code node} as JSON text in UTF-8. */
    public static byte[] write(JsonNode node) throws IOException {
        ByteArrayBuilder out = new ByteArrayBuilder(FACTORY._getBufferRecycler(), 512);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(node, g);
        }
        byte[] bytes = out.toByteArray();
        out.release();
        return bytes;
    }

    /** Writes {@code node} on {@code g} as the default mapper would. */
    public static void write(JsonNode node, JsonGenerator g) throws IOException {
        new Writer(g).write(node);
    }

    private static final class Writer {
        private final JsonGenerator g;
        private SerializerProvider provider;

        Writer(JsonGenerator g) {
            this.g = g;
        }

        void write(JsonNode node) throws IOException {
            switch (node.getNodeType()) {
                case OBJECT -> {
                    g.writeStartObject();
                    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = it.next();
                        g.writeFieldName(e.getKey());
                        write(e.getValue());
                    }
                    g.writeEndObject();
                }
                case ARRAY -> {
                    g.writeStartArray();
                    for (JsonNode element : node) {
                        write(element);
                    }
                    g.writeEndArray();
                }
                case STRING -> g.writeString(node.textValue());
                case BOOLEAN -> g.writeBoolean(node.booleanValue());
                case NULL, MISSING -> g.writeNull();
                // numeric nodes write themselves without the provider
                case NUMBER -> ((ValueNode) node).serialize(g, null);
                case BINARY -> g.writeBinary(((BinaryNode) node).binaryValue());
                case POJO -> {
                    Object value = ((POJONode) node).getPojo();
                    if (value == null) {
                        g.writeNull();
                    } else if (value instanceof JsonSerializable s) {
                        // what POJONode does with such a value (the emulators' own lazy writers)
                        s.serialize(g, provider());
                    } else {
                        MAPPER.writeValue(g, value);
                    }
                }
                default -> MAPPER.writeTree(g, node);
            }
        }

        private SerializerProvider provider() {
            if (provider == null) {
                provider = MAPPER.getSerializerProviderInstance();
            }
            return provider;
        }
    }
}
