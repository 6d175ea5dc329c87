package io.cqrsworkers.localaws.stepfunctions.data;

import io.cqrsworkers.localaws.stepfunctions.core.Json;
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
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.Set;

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

    /**
     * The JSONata value of a JSON node. Objects and arrays become read-only views that convert members only when
     * the expression reaches them, so a large input costs nothing for the parts an expression does not touch.
     */
    static Object toJava(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return null;
        }
        switch (node.getNodeType()) {
            case OBJECT:
                return new ObjectView(node);
            case ARRAY:
                return new ArrayView(node);
            case STRING:
                return node.textValue();
            case NUMBER:
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

    /** Read-only {@link Map} over a Jackson object. */
    private static final class ObjectView extends AbstractMap<String, Object> {
        private final JsonNode node;

        ObjectView(JsonNode node) {
            this.node = node;
        }

        @Override
        public Object get(Object key) {
            return key instanceof String name ? toJava(node.get(name)) : null;
        }

        @Override
        public boolean containsKey(Object key) {
            return key instanceof String name && node.has(name);
        }

        @Override
        public int size() {
            return node.size();
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, Object>> iterator() {
                    Iterator<Entry<String, JsonNode>> fields = node.fields();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return fields.hasNext();
                        }

                        @Override
                        public Entry<String, Object> next() {
                            Entry<String, JsonNode> field = fields.next();
                            return new SimpleImmutableEntry<>(field.getKey(), toJava(field.getValue()));
                        }
                    };
                }

                @Override
                public int size() {
                    return node.size();
                }
            };
        }
    }

    /** Read-only {@link List} over a Jackson array. */
    private static final class ArrayView extends AbstractList<Object> implements RandomAccess {
        private final JsonNode node;

        ArrayView(JsonNode node) {
            this.node = node;
        }

        @Override
        public Object get(int index) {
            if (index < 0 || index >= node.size()) {
                throw new IndexOutOfBoundsException(index);
            }
            return toJava(node.get(index));
        }

        @Override
        public int size() {
            return node.size();
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
        if (value instanceof ObjectView view) {
            return view.node; // an untouched part of the input goes back as it came, without a copy
        }
        if (value instanceof ArrayView view) {
            return view.node;
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
