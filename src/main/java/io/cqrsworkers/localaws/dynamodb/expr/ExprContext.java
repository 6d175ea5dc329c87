package io.cqrsworkers.localaws.dynamodb.expr;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.localaws.dynamodb.model.DynamoDbException;
import io.cqrsworkers.localaws.dynamodb.model.Av;
import io.cqrsworkers.localaws.dynamodb.model.AvJson;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ExpressionAttributeNames and ExpressionAttributeValues of one request, tracking which ones the request's
 * expressions used so that unused ones are rejected as AWS does.
 */
public final class ExprContext {

    private final Map<String, String> names = new HashMap<>();
    private final Map<String, Av> values = new HashMap<>();
    private final Set<String> usedNames = new LinkedHashSet<>();
    private final Set<String> usedValues = new LinkedHashSet<>();

    private ExprContext() {
    }

    /** Reads the placeholders of a request (or of one transaction item). */
    public static ExprContext of(JsonNode request) {
        ExprContext ctx = new ExprContext();
        JsonNode names = request.get("ExpressionAttributeNames");
        if (names != null && !names.isNull()) {
            if (names.size() == 0) {
                throw DynamoDbException.validation("ExpressionAttributeNames must not be empty");
            }
            names.fields().forEachRemaining(e -> ctx.names.put(e.getKey(), e.getValue().asText()));
        }
        JsonNode values = request.get("ExpressionAttributeValues");
        if (values != null && !values.isNull()) {
            if (values.size() == 0) {
                throw DynamoDbException.validation("ExpressionAttributeValues must not be empty");
            }
            values.fields().forEachRemaining(e -> {
                try {
                    ctx.values.put(e.getKey(), AvJson.parse(e.getValue()));
                } catch (DynamoDbException ex) {
                    throw DynamoDbException.validation("ExpressionAttributeValues contains invalid value: "
                            + ex.getMessage() + " for key " + e.getKey());
                }
            });
        }
        return ctx;
    }

    public boolean isEmpty() {
        return names.isEmpty() && values.isEmpty();
    }

    String name(String placeholder, String expressionType) {
        String n = names.get(placeholder);
        if (n == null) {
            throw DynamoDbException.validation("Invalid " + expressionType
                    + ": An expression attribute name used in the document path is not defined; attribute name: "
                    + placeholder);
        }
        usedNames.add(placeholder);
        return n;
    }

    Av value(String placeholder, String expressionType) {
        Av v = values.get(placeholder);
        if (v == null) {
            throw DynamoDbException.validation("Invalid " + expressionType
                    + ": An expression attribute value used in expression is not defined; attribute value: "
                    + placeholder);
        }
        usedValues.add(placeholder);
        return v;
    }

    /** Call once all expressions of the request were parsed. */
    public void checkAllUsed(boolean anyExpression) {
        if (!anyExpression) {
            if (!values.isEmpty()) {
                throw DynamoDbException.validation(
                        "ExpressionAttributeValues can only be specified when using expressions");
            }
            if (!names.isEmpty()) {
                throw DynamoDbException.validation(
                        "ExpressionAttributeNames can only be specified when using expressions");
            }
            return;
        }
        Set<String> unusedNames = new TreeSet<>(names.keySet());
        unusedNames.removeAll(usedNames);
        if (!unusedNames.isEmpty()) {
            throw DynamoDbException.validation("Value provided in ExpressionAttributeNames unused in expressions: keys: {"
                    + String.join(", ", unusedNames) + "}");
        }
        Set<String> unusedValues = new TreeSet<>(values.keySet());
        unusedValues.removeAll(usedValues);
        if (!unusedValues.isEmpty()) {
            throw DynamoDbException.validation("Value provided in ExpressionAttributeValues unused in expressions: keys: {"
                    + String.join(", ", unusedValues) + "}");
        }
    }
}
