package io.cqrsworkers.localaws.stepfunctions.asl;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Set;

/** Fail: ends its branch with Error and Cause (literal, path or JSONata). */
public final class FailState extends State {
    private final JsonNode error;
    private final JsonNode cause;
    private final String errorPath;
    private final String causePath;

    FailState(String name, Fields f, QueryLanguage language) {
        super(name, f, language, Set.of("Error", "ErrorPath", "Cause", "CausePath"), false);
        this.error = f.get("Error");
        this.cause = f.get("Cause");
        this.errorPath = f.string("ErrorPath", false);
        this.causePath = f.string("CausePath", false);
        if (error != null && errorPath != null) {
            f.problems.add("SCHEMA_VALIDATION_FAILED", "This state can not have both 'Error' and 'ErrorPath' fields", f.path);
        }
        if (cause != null && causePath != null) {
            f.problems.add("SCHEMA_VALIDATION_FAILED", "This state can not have both 'Cause' and 'CausePath' fields", f.path);
        }
    }

    @Override
    public boolean terminal() {
        return true;
    }

    @Override
    public void execute(StateContext run) {
        JsonNode in = run.input();
        run.fail(text(run, error, "ErrorPath", errorPath, in), text(run, cause, "CausePath", causePath, in));
    }

    private static String text(StateContext run, JsonNode literal, String field, String path, JsonNode in) {
        JsonNode v = path != null ? run.resolve(field, path, in) : literal == null ? null : run.value(literal, in);
        return v == null || v.isNull() || v.isMissingNode() ? null : v.isTextual() ? v.asText() : v.toString();
    }
}
