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

    /** Developer Guide, "Expression parameters": a placeholder (#name, :val) is at most 255 bytes, its prefix included. */
    static final int MAX_PLACEHOLDER_BYTES = 255;
    /**
     * "The maximum size of all substitution variables in an expression is 2 MB. This is the sum of the lengths of
     * all ExpressionAttributeNames and ExpressionAttributeValues." Counted here as the placeholders' and names' UTF-8
     * bytes plus the values' sizes as DynamoDB sizes them.
     */
    static final long MAX_SUBSTITUTION_BYTES = 2L * 1024 * 1024;

    /** Reads the placeholders of a request (or of one transaction item). */
    public static ExprContext of(JsonNode request) {
        ExprContext ctx = new ExprContext();
        long substitution = 0;
        JsonNode names = request.get("ExpressionAttributeNames");
        if (names != null && !names.isNull()) {
            if (names.size() == 0) {
                throw DynamoDbException.validation("ExpressionAttributeNames must not be empty");
            }
            for (var it = names.fields(); it.hasNext(); ) {
                var e = it.next();
                checkKey("ExpressionAttributeNames", e.getKey(), '#', true);
                String name = e.getValue().asText();
                substitution += Av.utf8Length(e.getKey()) + Av.utf8Length(name);
                ctx.names.put(e.getKey(), name);
            }
        }
        JsonNode values = request.get("ExpressionAttributeValues");
        if (values != null && !values.isNull()) {
            if (values.size() == 0) {
                throw DynamoDbException.validation("ExpressionAttributeValues must not be empty");
            }
            for (var it = values.fields(); it.hasNext(); ) {
                checkKey("ExpressionAttributeValues", it.next().getKey(), ':', false);
            }
            for (var it = values.fields(); it.hasNext(); ) {
                var e = it.next();
                Av v;
                try {
                    v = AvJson.parse(e.getValue());
                } catch (DynamoDbException ex) {
                    throw DynamoDbException.validation("ExpressionAttributeValues contains invalid value: "
                            + ex.getMessage() + " for key " + e.getKey());
                }
                substitution += Av.utf8Length(e.getKey()) + v.size();
                ctx.values.put(e.getKey(), v);
            }
        }
        if (substitution > MAX_SUBSTITUTION_BYTES) {
            // the limit is documented, its error text is not recorded anywhere we could find
            throw DynamoDbException.validation("ExpressionAttributeNames and ExpressionAttributeValues exceed the "
                    + "maximum allowed size of 2 MB; size: " + substitution);
        }
        return ctx;
    }

    /**
     * A placeholder key: its length first, then its syntax ({@code #} or {@code :} and one or more of
     * {@code [A-Za-z0-9_]}). Texts: the syntax error as recorded by dynalite (validations/index.js); the length
     * error as captured from DynamoDB by ExtendDB (src/.../serde_helpers tests): the names' text ends with
     * "; size of key: N", the values' does not.
     */
    private static void checkKey(String map, String key, char prefix, boolean reportSize) {
        int bytes = Av.utf8Length(key);
        if (bytes > MAX_PLACEHOLDER_BYTES) {
            throw DynamoDbException.validation(map + " contains invalid key: The expression attribute map contains a "
                    + "key that is too long;" + (reportSize ? " size of key: " + bytes : ""));
        }
        boolean valid = key.length() > 1 && key.charAt(0) == prefix;
        for (int i = 1; valid && i < key.length(); i++) {
            char c = key.charAt(i);
            valid = c < 0x80 && (Character.isLetterOrDigit(c) || c == '_');
        }
        if (!valid) {
            throw DynamoDbException.validation(map + " contains invalid key: Syntax error; key: \"" + key + "\"");
        }
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
