package io.cqrsworkers.localaws.stepfunctions.core;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;

/** The one Jackson mapper of the engine and small helpers around it. */
public final class Json {
    /** Trailing text after a JSON value is an error (States.StringToJson('{} x') must fail). */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    /** For values read one after another from one parser (the items of a JSON array): what follows is the next. */
    public static final ObjectReader IN_SEQUENCE = MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** {"truncated":false}, shared by every history event that carries a payload; never modified. */
    public static final ObjectNode NOT_TRUNCATED = NODES.objectNode().put("truncated", false);

    private Json() {
    }

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    public static JsonNode parse(String text) throws JsonProcessingException {
        return MAPPER.readTree(text);
    }

    /** For text this engine wrote or validated itself. */
    public static JsonNode parseUnchecked(String text) {
        try {
            return parse(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON no longer parses: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The JSON text of {@code node}, as Jackson's default writer writes it. Objects, arrays, strings, integers,
     * booleans and nulls are written here directly (the engine writes a payload's text on every transition it
     * journals, and a Jackson generator with its serializer provider costs several times the text itself); the rest
     * (decimals, binary, POJOs such as {@link #lazyText}) by Jackson.
     */
    public static String write(JsonNode node) {
        StringBuilder b = new StringBuilder(64);
        write(node, b);
        return b.toString();
    }

    /** Appends the JSON text of {@code node}, the same as {@link #write(JsonNode)} returns. */
    public static void write(JsonNode node, StringBuilder b) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                b.append('{');
                boolean first = true;
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!first) {
                        b.append(',');
                    }
                    first = false;
                    quoted(e.getKey(), b);
                    b.append(':');
                    write(e.getValue(), b);
                }
                b.append('}');
            }
            case ARRAY -> {
                b.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        b.append(',');
                    }
                    write(node.get(i), b);
                }
                b.append(']');
            }
            case STRING -> quoted(node.textValue(), b);
            case BOOLEAN -> b.append(node.booleanValue());
            case NULL -> b.append("null");
            case NUMBER -> {
                if (node.isInt() || node.isLong() || node.isShort()) {
                    b.append(node.longValue());
                } else {
                    b.append(jackson(node));
                }
            }
            default -> b.append(jackson(node));
        }
    }

    /** Appends {@code text} as a JSON string, escaped as Jackson's generator escapes it. */
    public static void quoted(String text, StringBuilder b) {
        b.append('"');
        JsonStringEncoder.getInstance().quoteAsString(text, b);
        b.append('"');
    }

    private static String jackson(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A history payload (state input/output) that is written as its JSON text only when the history is read or
     * stored: most histories are never read, so transitions do not pay for serialising every payload.
     */
    public static JsonNode lazyText(JsonNode value) {
        return new POJONode(new JsonText(value));
    }

    private static final class JsonText implements JsonSerializable {
        private final JsonNode value;
        private String text;

        JsonText(JsonNode value) {
            this.value = value;
        }

        @Override
        public void serialize(JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeString(toString());
        }

        @Override
        public void serializeWithType(JsonGenerator gen, SerializerProvider serializers, TypeSerializer typeSer) throws IOException {
            serialize(gen, serializers);
        }

        @Override
        public synchronized String toString() {
            if (text == null) {
                text = write(value);
            }
            return text;
        }
    }

    /**
     * An upper bound of the size of {@code node} as JSON text, cheap to compute (no text is built): every string
     * counted as if each character needed a six-character escape. Exact sizes are only needed above the limit.
     */
    public static long maxTextSize(JsonNode node, long stopAbove) {
        if (node.isTextual()) {
            return node.textValue().length() * 6L + 2;
        }
        if (!node.isContainerNode()) {
            return 32;
        }
        long size = 2;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext() && size <= stopAbove; ) {
            Map.Entry<String, JsonNode> e = it.next();
            size += e.getKey().length() * 6L + 4 + maxTextSize(e.getValue(), stopAbove);
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size() && size <= stopAbove; i++) {
                size += 1 + maxTextSize(node.get(i), stopAbove);
            }
        }
        return size;
    }

    /** Epoch seconds with millisecond fraction, the timestamp shape of the AWS JSON protocol. */
    public static double epochSeconds(long millis) {
        return millis / 1000.0;
    }

    /** JSON equality where numbers compare by value (1 equals 1.0). */
    public static boolean sameValue(JsonNode a, JsonNode b) {
        return a.equals(NUMERIC_AWARE, b);
    }

    private static final Comparator<JsonNode> NUMERIC_AWARE = (x, y) -> {
        if (x.isNumber() && y.isNumber()) {
            return x.decimalValue().compareTo(y.decimalValue());
        }
        return x.equals(y) ? 0 : 1;
    };

    /** The JSON type name as AWS prints it in causes: object, array, string, number, boolean, null. */
    public static String typeName(JsonNode value) {
        return value == null ? "undefined" : typeName(value.getNodeType());
    }

    public static String typeName(JsonNodeType type) {
        return switch (type) {
            case OBJECT, POJO -> "object";
            case ARRAY -> "array";
            case STRING, BINARY -> "string";
            case NUMBER -> "number";
            case BOOLEAN -> "boolean";
            case MISSING -> "undefined";
            default -> "null";
        };
    }
}
