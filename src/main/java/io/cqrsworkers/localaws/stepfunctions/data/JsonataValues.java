package io.cqrsworkers.localaws.stepfunctions.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Conversion between Jackson trees and the plain Java values the dashjoin JSONata engine works on. JSON null is
 * {@link com.dashjoin.jsonata.Jsonata#NULL_VALUE}, Java null is JSONata's undefined. Numbers that are integral
 * come back as integer nodes (JSONata has only doubles; AWS prints {@code 3}, not {@code 3.0}).
 */
final class JsonataValues {

    /** Thrown for results JSON cannot hold, such as a function. */
    static final class UnsupportedResult extends RuntimeException {
        UnsupportedResult() {
            super(null, null, false, false);
        }
    }

    private JsonataValues() {
    }

    static Object toJava(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return null;
        }
        switch (node.getNodeType()) {
            case OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>(Math.max(4, node.size() * 2));
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    map.put(field.getKey(), toJava(field.getValue()));
                }
                return map;
            }
            case ARRAY: {
                List<Object> list = new ArrayList<>(node.size());
                for (JsonNode item : node) {
                    list.add(toJava(item));
                }
                return list;
            }
            case STRING:
                return node.textValue();
            case NUMBER:
                if (node.isInt() || node.isLong()) {
                    return node.numberValue();
                }
                if (node.isBigInteger() || node.isBigDecimal()) {
                    return node.doubleValue();
                }
                return node.numberValue();
            case BOOLEAN:
                return node.booleanValue();
            default:
                return com.dashjoin.jsonata.Jsonata.NULL_VALUE;
        }
    }

    static JsonNode toJson(Object value) {
        if (value == null) {
            return null;
        }
        if (value == com.dashjoin.jsonata.Jsonata.NULL_VALUE) {
            return NullNode.getInstance();
        }
        if (value instanceof String s) {
            return TextNode.valueOf(s);
        }
        if (value instanceof Boolean b) {
            return BooleanNode.valueOf(b);
        }
        if (value instanceof Number n) {
            return number(n);
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode out = Json.MAPPER.createObjectNode();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                JsonNode converted = toJson(entry.getValue());
                if (converted != null) { // undefined values leave the key out, as in JSONata
                    out.set(String.valueOf(entry.getKey()), converted);
                }
            }
            return out;
        }
        if (value instanceof List<?> list) {
            ArrayNode out = Json.MAPPER.createArrayNode();
            for (Object item : list) {
                JsonNode converted = toJson(item);
                if (converted != null) {
                    out.add(converted);
                }
            }
            return out;
        }
        if (value instanceof JsonNode node) {
            return node;
        }
        throw new UnsupportedResult(); // a function or anything else JSON cannot hold
    }

    static JsonNode number(Number n) {
        if (n instanceof Integer i) {
            return IntNode.valueOf(i);
        }
        if (n instanceof Long l) {
            return l == l.intValue() ? IntNode.valueOf(l.intValue()) : LongNode.valueOf(l);
        }
        if (n instanceof BigInteger || n instanceof BigDecimal) {
            return number(n.doubleValue());
        }
        double d = n.doubleValue();
        if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 9.007199254740992E15) {
            long l = (long) d;
            return l == (int) l ? IntNode.valueOf((int) l) : LongNode.valueOf(l);
        }
        return DoubleNode.valueOf(d);
    }
}
