package io.cqrsworkers.localaws.stepfunctions.asl;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** ErrorEquals lists and how an error name matches them. */
public final class ErrorNames {
    public static final String ALL = "States.ALL";

    private ErrorNames() {
    }

    /**
     * States.ALL matches every error except the terminal States.Runtime and States.DataLimitExceeded. A failure
     * without an error name (a Fail state without Error) matches only States.ALL.
     */
    public static boolean matches(List<String> errorEquals, String error) {
        if (error == null) {
            return errorEquals.contains(ALL);
        }
        for (String e : errorEquals) {
            if (e.equals(error) || (e.equals(ALL) && !isTerminal(error)) || (e.equals("States.TaskFailed") && isTaskFailure(error))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTerminal(String error) {
        return "States.Runtime".equals(error) || "States.DataLimitExceeded".equals(error);
    }

    /** States.TaskFailed is a wildcard for every error except States.Timeout (and the terminal ones). */
    private static boolean isTaskFailure(String error) {
        return !error.equals("States.Timeout") && !isTerminal(error);
    }

    static List<String> parse(Fields f) {
        JsonNode e = f.get("ErrorEquals");
        List<String> names = new ArrayList<>();
        if (e == null || !e.isArray() || e.isEmpty()) {
            f.problems.add("SCHEMA_VALIDATION_FAILED", "The field 'ErrorEquals' should be a non-empty array", f.path);
            return names;
        }
        for (JsonNode n : e) {
            names.add(n.asText());
        }
        if (names.contains(ALL) && names.size() > 1) {
            f.problems.add("SCHEMA_VALIDATION_FAILED", "Error name 'States.ALL' must appear alone in the ErrorEquals array", f.path + "/ErrorEquals");
        }
        return names;
    }

    static void checkAllLast(List<List<String>> rules, Fields f, String field) {
        for (int i = 0; i < rules.size() - 1; i++) {
            if (rules.get(i).contains(ALL)) {
                f.problems.add("SCHEMA_VALIDATION_FAILED", "Error name 'States.ALL' must be in the last element of the '" + field + "' array", f.path + "/" + field + "[" + i + "]");
            }
        }
    }
}
