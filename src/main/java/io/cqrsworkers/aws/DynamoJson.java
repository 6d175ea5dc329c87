package io.cqrsworkers.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Conversions between plain JSON (what the pipelines work with), DynamoDB items ({@link AttributeValue}) and
 * DynamoDB JSON ({"S":"..."} as in stream records and Lambda events).
 */
public final class DynamoJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private DynamoJson() {
    }

    /** A plain JSON object as a DynamoDB item; JSON null becomes NULL. */
    public static Map<String, AttributeValue> toItem(JsonNode object) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> item.put(e.getKey(), toValue(e.getValue())));
        return item;
    }

    public static AttributeValue toValue(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return AttributeValue.fromNul(true);
        }
        if (node.isTextual()) {
            return AttributeValue.fromS(node.textValue());
        }
        if (node.isNumber()) {
            return AttributeValue.fromN(node.decimalValue().toPlainString());
        }
        if (node.isBoolean()) {
            return AttributeValue.fromBool(node.booleanValue());
        }
        if (node.isArray()) {
            List<AttributeValue> list = new ArrayList<>();
            node.forEach(element -> list.add(toValue(element)));
            return AttributeValue.fromL(list);
        }
        if (node.isObject()) {
            return AttributeValue.fromM(toItem(node));
        }
        if (node.isBinary()) {
            try {
                return AttributeValue.fromB(SdkBytes.fromByteArray(node.binaryValue()));
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException(e);
            }
        }
        throw new IllegalArgumentException("No DynamoDB type for " + node.getNodeType());
    }

    /** A DynamoDB item as plain JSON. */
    public static ObjectNode fromItem(Map<String, AttributeValue> item) {
        ObjectNode object = NODES.objectNode();
        item.forEach((name, value) -> object.set(name, fromValue(value)));
        return object;
    }

    public static JsonNode fromValue(AttributeValue value) {
        return switch (value.type()) {
            case S -> NODES.textNode(value.s());
            case N -> number(value.n());
            case BOOL -> NODES.booleanNode(value.bool());
            case NUL -> NODES.nullNode();
            case B -> NODES.textNode(Base64.getEncoder().encodeToString(value.b().asByteArray()));
            case L -> {
                ArrayNode array = NODES.arrayNode();
                value.l().forEach(element -> array.add(fromValue(element)));
                yield array;
            }
            case M -> fromItem(value.m());
            case SS -> {
                ArrayNode array = NODES.arrayNode();
                value.ss().forEach(array::add);
                yield array;
            }
            case NS -> {
                ArrayNode array = NODES.arrayNode();
                value.ns().forEach(n -> array.add(number(n)));
                yield array;
            }
            case BS -> {
                ArrayNode array = NODES.arrayNode();
                value.bs().forEach(b -> array.add(Base64.getEncoder().encodeToString(b.asByteArray())));
                yield array;
            }
            default -> throw new IllegalArgumentException("Unknown DynamoDB type in " + value);
        };
    }

    /**
     * An item in DynamoDB JSON, as Lambda receives stream images. Attributes in name order, so the same item always
     * gives the same text (an execution input that Step Functions compares on a repeated start).
     */
    public static ObjectNode toDynamoJson(Map<String, AttributeValue> item) {
        ObjectNode object = NODES.objectNode();
        new java.util.TreeMap<>(item).forEach((name, value) -> object.set(name, typed(value)));
        return object;
    }

    private static JsonNode typed(AttributeValue value) {
        ObjectNode node = NODES.objectNode();
        switch (value.type()) {
            case S -> node.put("S", value.s());
            case N -> node.put("N", value.n());
            case BOOL -> node.put("BOOL", value.bool());
            case NUL -> node.put("NULL", true);
            case B -> node.put("B", Base64.getEncoder().encodeToString(value.b().asByteArray()));
            case L -> {
                ArrayNode array = node.putArray("L");
                value.l().forEach(element -> array.add(typed(element)));
            }
            case M -> node.set("M", toDynamoJson(value.m()));
            case SS -> value.ss().forEach(node.putArray("SS")::add);
            case NS -> value.ns().forEach(node.putArray("NS")::add);
            case BS -> value.bs().forEach(b -> node.withArray("BS").add(Base64.getEncoder().encodeToString(b.asByteArray())));
            default -> throw new IllegalArgumentException("Unknown DynamoDB type in " + value);
        }
        return node;
    }

    /** DynamoDB JSON (a stream image) back to an item. */
    public static Map<String, AttributeValue> fromDynamoJson(JsonNode image) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        image.fields().forEachRemaining(e -> item.put(e.getKey(), untyped(e.getValue())));
        return item;
    }

    private static AttributeValue untyped(JsonNode node) {
        var field = node.fields().next();
        JsonNode v = field.getValue();
        return switch (field.getKey()) {
            case "S" -> AttributeValue.fromS(v.asText());
            case "N" -> AttributeValue.fromN(v.asText());
            case "BOOL" -> AttributeValue.fromBool(v.asBoolean());
            case "NULL" -> AttributeValue.fromNul(true);
            case "B" -> AttributeValue.fromB(SdkBytes.fromByteArray(Base64.getDecoder().decode(v.asText())));
            case "L" -> {
                List<AttributeValue> list = new ArrayList<>();
                v.forEach(element -> list.add(untyped(element)));
                yield AttributeValue.fromL(list);
            }
            case "M" -> AttributeValue.fromM(fromDynamoJson(v));
            case "SS" -> {
                List<String> list = new ArrayList<>();
                v.forEach(element -> list.add(element.asText()));
                yield AttributeValue.fromSs(list);
            }
            case "NS" -> {
                List<String> list = new ArrayList<>();
                v.forEach(element -> list.add(element.asText()));
                yield AttributeValue.fromNs(list);
            }
            case "BS" -> {
                List<SdkBytes> list = new ArrayList<>();
                v.forEach(element -> list.add(SdkBytes.fromByteArray(Base64.getDecoder().decode(element.asText()))));
                yield AttributeValue.fromBs(list);
            }
            default -> throw new IllegalArgumentException("Unknown DynamoDB JSON type " + field.getKey());
        };
    }

    private static JsonNode number(String text) {
        BigDecimal decimal = new BigDecimal(text);
        if (decimal.scale() <= 0 && decimal.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) < 0) {
            return NODES.numberNode(decimal.longValueExact());
        }
        return NODES.numberNode(decimal);
    }
}
