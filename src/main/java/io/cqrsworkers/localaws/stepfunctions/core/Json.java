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
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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

    public static String write(JsonNode node) {
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
     * JSON texts written one after another into one growing byte array, each the UTF-8 of what {@link #write}
     * returns. Objects, arrays, strings, integers, booleans and nulls are written here directly, the rest (decimals,
     * binary, POJOs) by Jackson: a history's payloads are written without a generator and serializer provider each.
     */
    public static final class TextBuffer {
        private byte[] bytes = new byte[512];
        private int size;

        public void write(JsonNode value) {
            switch (value.getNodeType()) {
                case OBJECT -> {
                    append((byte) '{');
                    boolean first = true;
                    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = it.next();
                        if (!first) {
                            append((byte) ',');
                        }
                        first = false;
                        string(e.getKey());
                        append((byte) ':');
                        write(e.getValue());
                    }
                    append((byte) '}');
                }
                case ARRAY -> {
                    append((byte) '[');
                    for (int i = 0; i < value.size(); i++) {
                        if (i > 0) {
                            append((byte) ',');
                        }
                        write(value.get(i));
                    }
                    append((byte) ']');
                }
                case STRING -> string(value.textValue());
                case BOOLEAN -> ascii(value.booleanValue() ? "true" : "false");
                case NULL -> ascii("null");
                case NUMBER -> {
                    if (value.isInt() || value.isLong() || value.isShort()) {
                        digits(value.longValue());
                    } else {
                        ascii(Json.write(value));
                    }
                }
                default -> raw(Json.write(value).getBytes(StandardCharsets.UTF_8));
            }
        }

        /** A string as Jackson quotes it: ASCII text that needs no escape is copied as it is. */
        @SuppressWarnings("deprecation")
        private void string(String text) {
            int n = text.length();
            for (int i = 0; i < n; i++) {
                char c = text.charAt(i);
                if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                    append((byte) '"');
                    raw(quotedUtf8(text));
                    append((byte) '"');
                    return;
                }
            }
            ensure(n + 2);
            bytes[size++] = '"';
            text.getBytes(0, n, bytes, size);
            size += n;
            bytes[size++] = '"';
        }

        /** A lone surrogate becomes '?', as in the UTF-8 of the text {@link #write} returns. */
        private static byte[] quotedUtf8(String text) {
            try {
                return JsonStringEncoder.getInstance().quoteAsUTF8(text);
            } catch (IllegalArgumentException unpairedSurrogate) {
                return new String(JsonStringEncoder.getInstance().quoteAsString(text)).getBytes(StandardCharsets.UTF_8);
            }
        }

        /** An integer in decimal, as Long.toString writes it, without making the string. */
        private void digits(long v) {
            if (v == Long.MIN_VALUE) {
                ascii(Long.toString(v));
                return;
            }
            ensure(20);
            if (v < 0) {
                bytes[size++] = '-';
                v = -v;
            }
            int count = 1;
            for (long r = v; r >= 10; r /= 10) {
                count++;
            }
            int end = size + count;
            for (int i = end - 1; i >= size; i--) {
                bytes[i] = (byte) ('0' + v % 10);
                v /= 10;
            }
            size = end;
        }

        /** Text known to be ASCII (literals, numbers). */
        @SuppressWarnings("deprecation")
        private void ascii(String text) {
            int n = text.length();
            ensure(n);
            text.getBytes(0, n, bytes, size);
            size += n;
        }

        private void raw(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, bytes, size, b.length);
            size += b.length;
        }

        private void append(byte b) {
            ensure(1);
            bytes[size++] = b;
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        public int size() {
            return size;
        }

        public int capacity() {
            return bytes.length;
        }

        /** Empties the buffer to write again; its array stays. */
        public void clear() {
            size = 0;
        }

        public byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
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
