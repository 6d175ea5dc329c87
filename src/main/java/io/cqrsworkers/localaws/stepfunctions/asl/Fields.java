package io.cqrsworkers.localaws.stepfunctions.asl;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Set;

/** Reads the fields of one JSON object of a definition, recording schema problems under its path. */
final class Fields {
    final JsonNode node;
    final String path;
    final Problems problems;

    Fields(JsonNode node, String path, Problems problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    boolean has(String field) {
        return node.has(field);
    }

    JsonNode get(String field) {
        return node.get(field);
    }

    String string(String field, boolean required) {
        JsonNode v = node.get(field);
        if (v == null) {
            if (required) {
                problems.add("SCHEMA_VALIDATION_FAILED", "The field '" + field + "' is required but was missing", path);
            }
            return null;
        }
        if (!v.isTextual()) {
            problems.add("SCHEMA_VALIDATION_FAILED", "The value for the field '" + field + "' must be a STRING", path + "/" + field);
            return null;
        }
        return v.asText();
    }

    /**
     * AWS's text for an InputPath or OutputPath that is not a JSONPath: "SCHEMA_VALIDATION_FAILED: Value must be a
     * valid JSONPath. at /States/Pass/OutputPath" (recorded in aws-cloudformation/cfn-lint#4078 for OutputPath "Test").
     */
    static final String INVALID_JSONPATH = "Value must be a valid JSONPath.";
    private static final Set<String> INVALID_JSONPATH_FIELDS = Set.of("InputPath", "OutputPath");

    /** A path-valued field: absent => "$", JSON null => null (means "discard" or "{}"), else the string. */
    String pathField(String field) {
        JsonNode v = node.get(field);
        if (v == null) {
            return "$";
        }
        if (v.isNull()) {
            return null;
        }
        if (!v.isTextual() || !v.asText().startsWith("$")) {
            problems.add("SCHEMA_VALIDATION_FAILED", INVALID_JSONPATH_FIELDS.contains(field) ? INVALID_JSONPATH
                    : "The value for the field '" + field + "' must be a valid JSONPath", path + "/" + field);
            return "$";
        }
        return v.asText();
    }

    Integer positiveInt(String field, int min) {
        JsonNode v = node.get(field);
        if (v == null || (v.isTextual() && v.asText().startsWith("{%"))) {
            return null;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < min) {
            problems.add("SCHEMA_VALIDATION_FAILED", "The value for the field '" + field + "' must be " + (min > 0 ? "positive" : "non-negative") + " integer", path + "/" + field);
            return null;
        }
        return v.asInt();
    }

    boolean bool(String field) {
        JsonNode v = node.get(field);
        if (v != null && !v.isBoolean()) {
            problems.add("SCHEMA_VALIDATION_FAILED", "The value for the field '" + field + "' must be a BOOLEAN", path + "/" + field);
        }
        return v != null && v.asBoolean();
    }

    /** Runs a validation of the data layer; its IllegalArgumentException becomes a schema problem of {@code field}. */
    void check(String field, Runnable validation) {
        if (!has(field)) {
            return;
        }
        try {
            validation.run();
        } catch (IllegalArgumentException e) {
            problems.add("SCHEMA_VALIDATION_FAILED", e.getMessage(), path + "/" + field);
        }
    }

    void onlyKnown(Set<String> allowed, String typeName) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                problems.add("SCHEMA_VALIDATION_FAILED", "Field '" + f + "' is not supported" + (typeName == null ? "" : " by state type '" + typeName + "'"), path);
            }
        }
    }

    void forbiddenIn(QueryLanguage language, Set<String> fields) {
        for (String f : fields) {
            if (node.has(f)) {
                problems.add("SCHEMA_VALIDATION_FAILED", "The field '" + f + "' is not supported for the QueryLanguage '" + (language == QueryLanguage.JSONATA ? "JSONata" : "JSONPath") + "'", path + "/" + f);
            }
        }
    }
}
