package io.cqrsworkers.localaws.dynamodb.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.dynamodb.DynamoDbException;

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
            case M -> o.set("M", writeMap(av.m()));
        }
        return o;
    }

    public static ObjectNode writeMap(Map<String, Av> map) {
        ObjectNode o = F.objectNode();
        map.forEach((k, v) -> o.set(k, write(v)));
        return o;
    }

    public static ObjectNode writeItem(Item item) {
        ObjectNode o = F.objectNode();
        for (int i = 0; i < item.attributeCount(); i++) {
            o.set(item.name(i), write(item.value(i)));
        }
        return o;
    }
}
