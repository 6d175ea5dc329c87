package io.cqrsworkers.localaws.stepfunctions.data;

import io.cqrsworkers.localaws.stepfunctions.core.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Choice state rules. JSONPath: a rule is {@code And}/{@code Or} over rules, {@code Not} of a rule, or a
 * {@code Variable} with one comparison operator (literal or {@code ...Path} operand). JSONata: a rule's
 * {@code Condition} is an expression that must yield a boolean.
 */
public final class ChoiceRules {

    /** Fields a top-level rule may carry besides its condition; nested rules only the comment. */
    private static final Set<String> TOP_LEVEL_FIELDS = Set.of("Next", "Comment", "Output", "Assign");
    private static final Set<String> NESTED_FIELDS = Set.of("Comment");

    private ChoiceRules() {
    }

    /** Evaluates a JSONPath rule. A Variable or operand path that matches nothing fails with States.Runtime. */
    public static boolean matches(JsonNode rule, EvalScope scope) {
        JsonNode and = rule.get("And");
        if (and != null) {
            for (JsonNode sub : and) {
                if (!matches(sub, scope)) {
                    return false;
                }
            }
            return true;
        }
        JsonNode or = rule.get("Or");
        if (or != null) {
            for (JsonNode sub : or) {
                if (matches(sub, scope)) {
                    return true;
                }
            }
            return false;
        }
        JsonNode not = rule.get("Not");
        if (not != null) {
            return !matches(not, scope);
        }
        return matchesComparison(rule, scope);
    }

    /** Evaluates a JSONata rule's Condition; {@code field} names it in causes, e.g. {@code Condition}. */
    public static boolean matchesJsonata(JsonNode rule, JsonNode states, Map<String, JsonNode> variables,
                                         String field) {
        JsonNode condition = rule.get("Condition");
        String expression = condition == null ? "" : condition.asText();
        if (condition != null && condition.isBoolean()) {
            return condition.booleanValue();
        }
        return Jsonata.evaluate(expression, states, variables, field, JsonNodeType.BOOLEAN).booleanValue();
    }

    private static boolean matchesComparison(JsonNode rule, EvalScope scope) {
        String variablePath = rule.path("Variable").asText();
        for (Iterator<Map.Entry<String, JsonNode>> it = rule.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            ComparisonOperator op = ComparisonOperator.forKey(field.getKey());
            if (op == null) {
                continue;
            }
            JsonNode variable = JsonPaths.find(variablePath, scope);
            if (variable == null && op != ComparisonOperator.IS_PRESENT) {
                throw invalidPath(variablePath);
            }
            JsonNode operand = field.getValue();
            if (field.getKey().endsWith(ComparisonOperator.PATH_SUFFIX)) {
                String operandPath = operand.asText();
                operand = JsonPaths.find(operandPath, scope);
                if (operand == null) {
                    throw invalidPath(operandPath);
                }
            }
            return op.matches(variable, operand);
        }
        throw new StatesError(StatesError.RUNTIME, "The choice rule has no comparison operator: " + Json.write(rule));
    }

    private static StatesError invalidPath(String path) {
        return new StatesError(StatesError.RUNTIME,
                "Invalid path '" + path + "': The choice state's condition path references an invalid value.");
    }

    /**
     * Definition check of one top-level JSONPath rule of {@code Choices} (recursively). Throws
     * {@link IllegalArgumentException} with a text naming the offending field.
     */
    public static void validate(JsonNode rule) {
        validate(rule, true);
    }

    /** Definition check of one top-level JSONata rule: a {@code Condition} expression and {@code Next}. */
    public static void validateJsonata(JsonNode rule) {
        checkObject(rule);
        checkFields(rule, "Condition", TOP_LEVEL_FIELDS);
        requireNext(rule);
        JsonNode condition = rule.get("Condition");
        if (condition == null || !(condition.isBoolean() || Jsonata.isExpression(condition))) {
            throw new IllegalArgumentException("A choice rule must have a 'Condition' field holding a JSONata expression");
        }
        if (condition.isTextual()) {
            Jsonata.validate(condition.textValue());
        }
    }

    private static void validate(JsonNode rule, boolean topLevel) {
        checkObject(rule);
        Set<String> allowed = topLevel ? TOP_LEVEL_FIELDS : NESTED_FIELDS;
        if (topLevel) {
            requireNext(rule);
        }
        for (String combinator : new String[] {"And", "Or"}) {
            JsonNode subs = rule.get(combinator);
            if (subs != null) {
                checkFields(rule, combinator, allowed);
                if (!subs.isArray() || subs.isEmpty()) {
                    throw new IllegalArgumentException("The value for the field '" + combinator
                            + "' must be a non-empty ARRAY of choice rules");
                }
                subs.forEach(sub -> validate(sub, false));
                return;
            }
        }
        JsonNode not = rule.get("Not");
        if (not != null) {
            checkFields(rule, "Not", allowed);
            validate(not, false);
            return;
        }
        JsonNode variable = rule.get("Variable");
        if (variable == null || !variable.isTextual()) {
            throw new IllegalArgumentException("A choice rule must have a 'Variable' field of type STRING");
        }
        checkPath("Variable", variable.asText());
        ComparisonOperator found = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = rule.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            ComparisonOperator op = ComparisonOperator.forKey(key);
            if (op == null) {
                if (!key.equals("Variable") && !allowed.contains(key)) {
                    throw new IllegalArgumentException("Field '" + key + "' is not supported in a choice rule");
                }
                continue;
            }
            if (found != null) {
                throw new IllegalArgumentException("A choice rule must have exactly one comparison operator, found '"
                        + found.operatorName() + "' and '" + key + "'");
            }
            found = op;
            checkOperand(key, op, field.getValue());
        }
        if (found == null) {
            throw new IllegalArgumentException("A choice rule must have exactly one comparison operator");
        }
    }

    private static void checkObject(JsonNode rule) {
        if (rule == null || !rule.isObject()) {
            throw new IllegalArgumentException("A choice rule must be an OBJECT");
        }
    }

    private static void requireNext(JsonNode rule) {
        if (!rule.path("Next").isTextual()) {
            throw new IllegalArgumentException("A choice rule must have a 'Next' field of type STRING");
        }
    }

    /** Only {@code main} and the allowed fields may appear next to each other in a combinator or JSONata rule. */
    private static void checkFields(JsonNode rule, String main, Set<String> allowed) {
        for (Iterator<String> it = rule.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!key.equals(main) && !allowed.contains(key)) {
                throw new IllegalArgumentException("Field '" + key + "' is not supported in a choice rule");
            }
        }
    }

    private static void checkOperand(String key, ComparisonOperator op, JsonNode value) {
        if (key.endsWith(ComparisonOperator.PATH_SUFFIX) && op.hasPathForm()) {
            if (!value.isTextual()) {
                throw new IllegalArgumentException("The value for the field '" + key + "' must be a STRING");
            }
            checkPath(key, value.asText());
            return;
        }
        boolean ok = switch (op.kind()) {
            case STRING -> value.isTextual();
            case NUMBER -> value.isNumber();
            case BOOLEAN, TYPE_TEST -> value.isBoolean();
            case TIMESTAMP -> Timestamps.parse(value) != null;
        };
        if (!ok) {
            String expected = switch (op.kind()) {
                case STRING -> "a STRING";
                case NUMBER -> "a NUMBER";
                case BOOLEAN, TYPE_TEST -> "a BOOLEAN";
                case TIMESTAMP -> "a valid ISO-8601 timestamp STRING";
            };
            throw new IllegalArgumentException("The value for the field '" + key + "' must be " + expected);
        }
    }

    private static void checkPath(String key, String path) {
        try {
            JsonPaths.validatePath(path);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The value for the field '" + key + "' must be a valid JSONPath");
        }
    }
}
