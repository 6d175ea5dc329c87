package io.cqrsworkers.localaws.stepfunctions.runtime;

import com.fasterxml.jackson.databind.JsonNode;

/** How a branch (or a whole execution) ended: an output, or an error with its cause. */
public record Outcome(JsonNode output, String error, String cause) {
    public static Outcome success(JsonNode output) {
        return new Outcome(output, null, null);
    }

    public static Outcome failure(String error, String cause) {
        return new Outcome(null, error, cause);
    }

    public boolean failed() {
        return output == null;
    }
}
