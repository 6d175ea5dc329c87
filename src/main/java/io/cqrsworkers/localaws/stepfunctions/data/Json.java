package io.cqrsworkers.localaws.stepfunctions.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;

import java.util.Comparator;

/** The package's one Jackson mapper and compact JSON text as AWS prints it in causes. */
public final class Json {

    /** Trailing text after a JSON value is an error (States.StringToJson('{} x') must fail). */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode parse(String text) throws JsonProcessingException {
        return MAPPER.readTree(text);
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
