package io.cqrsworkers.localaws.dynamodb.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Converts between the wire form of attribute values ({"S":"x"}) and {@link Av}, validating as AWS does. */
public final class AvJson {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private AvJson() {
    }

    public static Av parse(JsonNode node) {
        if (node == null || !node.isObject() || node.size() == 0) {
            throw DynamoDbException.validation(
                    "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        }
        if (node.size() > 1) {
            throw DynamoDbException.validation(
                    "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
        }
        Map.Entry<String, JsonNode> e = node.fields().next();
        JsonNode v = e.getValue();
        switch (e.getKey()) {
            case "S":
                return Av.s(v.asText());
            case "N":
                return Av.n(Numbers.parse(v.asText()));
            case "B":
                return Av.b(decode(v.asText()));
            case "BOOL":
                return Av.bool(v.asBoolean());
            case "NULL":
                if (!v.asBoolean()) {
                    throw DynamoDbException.validation(
                            "One or more parameter values were invalid: Null attribute value types must have the value of true");
                }
                return Av.NULL;
            case "SS": {
                List<String> list = new ArrayList<>();
                v.forEach(x -> list.add(x.asText()));
                checkSet(list, "An string set  may not be empty");
                return Av.set(Av.Type.SS, list);
            }
            case "NS": {
                List<BigDecimal> list = new ArrayList<>();
                v.forEach(x -> list.add(Numbers.parse(x.asText())));
                checkSet(list, "An number set  may not be empty");
                return Av.set(Av.Type.NS, list);
            }
            case "BS": {
                List<Av.Bin> list = new ArrayList<>();
                v.forEach(x -> list.add(new Av.Bin(decode(x.asText()))));
                checkSet(list, "Binary sets should not be empty");
                return Av.set(Av.Type.BS, list);
            }
            case "L": {
                List<Av> list = new ArrayList<>(v.size());
                v.forEach(x -> list.add(parse(x)));
                return Av.l(list);
            }
            case "M":
                return Av.m(parseMap(v));
            default:
                throw DynamoDbException.validation(
                        "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        }
    }

    private static byte[] decode(String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw DynamoDbException.validation("Invalid Base64 value for binary attribute");
        }
    }

    private static void checkSet(List<?> list, String emptyMessage) {
        if (list.isEmpty()) {
            throw DynamoDbException.validation("One or more parameter values were invalid: " + emptyMessage);
        }
        Set<Object> seen = new HashSet<>();
        for (Object o : list) {
            if (!seen.add(o)) {
                throw DynamoDbException.validation("One or more parameter values were invalid: Input collection "
                        + list + " contains duplicates.");
            }
        }
    }

    /** Parses an attribute map ({"a":{"S":"x"}}); null or missing gives an empty map. */
    public static Map<String, Av> parseMap(JsonNode node) {
        Map<String, Av> map = new LinkedHashMap<>();
        if (node != null && !node.isNull()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                map.put(e.getKey(), parse(e.getValue()));
            }
        }
        return map;
    }

    public static ObjectNode write(Av av) {
        ObjectNode o = F.objectNode();
        switch (av.type()) {
            case S -> o.put("S", av.s());
            case N -> o.put("N", Numbers.format(av.n()));
            case B -> o.put("B", av.b().bytes());
            case BOOL -> o.put("BOOL", av.bool());
            case NULL -> o.put("NULL", true);
            case SS -> {
                ArrayNode a = o.putArray("SS");
                av.set().forEach(x -> a.add((String) x));
            }
            case NS -> {
                ArrayNode a = o.putArray("NS");
                av.set().forEach(x -> a.add(Numbers.format((BigDecimal) x)));
            }
            case BS -> {
                ArrayNode a = o.putArray("BS");
                av.set().forEach(x -> a.add(((Av.Bin) x).bytes()));
            }
            case L -> {
                ArrayNode a = o.putArray("L");
                av.l().forEach(x -> a.add(write(x)));
            }
            case M -> {
                ObjectNode m = o.putObject("M");
                av.m().forEach((k, v) -> m.set(k, write(v)));
            }
        }
        return o;
    }

    /**
     * An attribute map as a JSON node that serialises itself straight to the output, without building a tree:
     * responses carry many items, and this is where most of their allocation went.
     */
    public static JsonNode writeMap(Map<String, Av> map) {
        return new POJONode(new Streamed(g -> {
            g.writeStartObject();
            for (Map.Entry<String, Av> e : map.entrySet()) {
                g.writeFieldName(e.getKey());
                stream(g, e.getValue());
            }
            g.writeEndObject();
        }));
    }

    public static JsonNode writeItem(Item item) {
        return new POJONode(new Streamed(g -> {
            g.writeStartObject();
            for (int i = 0; i < item.attributeCount(); i++) {
                g.writeFieldName(item.name(i));
                stream(g, item.value(i));
            }
            g.writeEndObject();
        }));
    }

    private static void stream(JsonGenerator g, Av av) throws IOException {
        g.writeStartObject();
        switch (av.type()) {
            case S -> g.writeStringField("S", av.s());
            case N -> g.writeStringField("N", Numbers.format(av.n()));
            case B -> g.writeBinaryField("B", av.b().bytes());
            case BOOL -> g.writeBooleanField("BOOL", av.bool());
            case NULL -> g.writeBooleanField("NULL", true);
            case SS, NS, BS -> {
                g.writeArrayFieldStart(av.type().name());
                for (Object x : av.set()) {
                    if (x instanceof String str) {
                        g.writeString(str);
                    } else if (x instanceof BigDecimal n) {
                        g.writeString(Numbers.format(n));
                    } else {
                        g.writeBinary(((Av.Bin) x).bytes());
                    }
                }
                g.writeEndArray();
            }
            case L -> {
                g.writeArrayFieldStart("L");
                for (Av x : av.l()) {
                    stream(g, x);
                }
                g.writeEndArray();
            }
            case M -> {
                g.writeObjectFieldStart("M");
                for (Map.Entry<String, Av> e : av.m().entrySet()) {
                    g.writeFieldName(e.getKey());
                    stream(g, e.getValue());
                }
                g.writeEndObject();
            }
        }
        g.writeEndObject();
    }

    @FunctionalInterface
    private interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    /** Wraps a writer so Jackson calls it when the enclosing tree is serialised. */
    private static final class Streamed extends JsonSerializable.Base {
        private final Writer writer;

        Streamed(Writer writer) {
            this.writer = writer;
        }

        @Override
        public void serialize(JsonGenerator g, SerializerProvider provider) throws IOException {
            writer.write(g);
        }

        @Override
        public void serializeWithType(JsonGenerator g, SerializerProvider provider, TypeSerializer typeSer)
                throws IOException {
            writer.write(g);
        }
    }
}
