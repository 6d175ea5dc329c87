package io.cqrsworkers.localaws.dynamodb.expr;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.localaws.dynamodb.model.DynamoDbException;
import io.cqrsworkers.localaws.dynamodb.model.AvJson;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The pre-expression parameters (Expected, KeyConditions, QueryFilter, ScanFilter) translated into the same
 * condition tree as expressions. Older clients, Camel's aws2-ddb and the KCL's lease code still send them.
 */
public final class LegacyConditions {

    private LegacyConditions() {
    }

    /** Expected: per attribute either Exists/Value or ComparisonOperator/AttributeValueList. */
    public static Cond expected(JsonNode expected, String conditionalOperator) {
        List<Cond> parts = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = expected.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            Path path = Path.of(e.getKey());
            JsonNode spec = e.getValue();
            JsonNode value = spec.get("Value");
            JsonNode exists = spec.get("Exists");
            if (spec.hasNonNull("ComparisonOperator")) {
                parts.add(comparison(path, spec.get("ComparisonOperator").asText(), values(spec, value)));
            } else if (exists != null && !exists.asBoolean()) {
                if (value != null && !value.isNull()) {
                    throw DynamoDbException.validation("One or more parameter values were invalid: Value cannot be "
                            + "used when Exists is false for Attribute: " + e.getKey());
                }
                parts.add(new Cond.FunctionCall("attribute_not_exists", List.of(new Operand.PathRef(path))));
            } else {
                if (value == null || value.isNull()) {
                    throw DynamoDbException.validation("One or more parameter values were invalid: Value must be "
                            + "provided when Exists is true for Attribute: " + e.getKey());
                }
                parts.add(new Cond.Compare("=", new Operand.PathRef(path), literal(value)));
            }
        }
        return combine(parts, conditionalOperator);
    }

    /** KeyConditions, QueryFilter and ScanFilter: per attribute a ComparisonOperator and AttributeValueList. */
    public static Cond conditions(JsonNode conditions, String conditionalOperator) {
        List<Cond> parts = new ArrayList<>();
        conditions.fields().forEachRemaining(e -> parts.add(comparison(Path.of(e.getKey()),
                e.getValue().path("ComparisonOperator").asText(), values(e.getValue(), null))));
        return combine(parts, conditionalOperator);
    }

    private static List<Operand> values(JsonNode spec, JsonNode single) {
        List<Operand> out = new ArrayList<>();
        JsonNode list = spec.get("AttributeValueList");
        if (list != null && !list.isNull()) {
            list.forEach(v -> out.add(literal(v)));
        } else if (single != null && !single.isNull()) {
            out.add(literal(single));
        }
        return out;
    }

    private static Operand literal(JsonNode v) {
        return new Operand.Value(null, AvJson.parse(v));
    }

    private static Cond comparison(Path path, String op, List<Operand> args) {
        Operand attr = new Operand.PathRef(path);
        int expected = switch (op) {
            case "NULL", "NOT_NULL" -> 0;
            case "BETWEEN" -> 2;
            case "IN" -> -1;
            default -> 1;
        };
        if (expected >= 0 && args.size() != expected || expected < 0 && args.isEmpty()) {
            throw DynamoDbException.validation("One or more parameter values were invalid: Invalid number of "
                    + "argument(s) for the " + op + " ComparisonOperator");
        }
        return switch (op) {
            case "EQ" -> new Cond.Compare("=", attr, args.get(0));
            case "NE" -> new Cond.Compare("<>", attr, args.get(0));
            case "LT" -> new Cond.Compare("<", attr, args.get(0));
            case "LE" -> new Cond.Compare("<=", attr, args.get(0));
            case "GT" -> new Cond.Compare(">", attr, args.get(0));
            case "GE" -> new Cond.Compare(">=", attr, args.get(0));
            case "NULL" -> new Cond.FunctionCall("attribute_not_exists", List.of(attr));
            case "NOT_NULL" -> new Cond.FunctionCall("attribute_exists", List.of(attr));
            case "CONTAINS" -> new Cond.FunctionCall("contains", List.of(attr, args.get(0)));
            case "NOT_CONTAINS" -> new Cond.And(new Cond.FunctionCall("attribute_exists", List.of(attr)),
                    new Cond.Not(new Cond.FunctionCall("contains", List.of(attr, args.get(0)))));
            case "BEGINS_WITH" -> new Cond.FunctionCall("begins_with", List.of(attr, args.get(0)));
            case "IN" -> new Cond.In(attr, args);
            case "BETWEEN" -> new Cond.Between(attr, args.get(0), args.get(1));
            default -> throw DynamoDbException.validation("1 validation error detected: Value '" + op
                    + "' at 'comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: "
                    + "[IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]");
        };
    }

    private static Cond combine(List<Cond> parts, String conditionalOperator) {
        if (parts.isEmpty()) {
            return null;
        }
        boolean or = "OR".equals(conditionalOperator);
        Cond c = parts.get(0);
        for (int i = 1; i < parts.size(); i++) {
            c = or ? new Cond.Or(c, parts.get(i)) : new Cond.And(c, parts.get(i));
        }
        return c;
    }
}
