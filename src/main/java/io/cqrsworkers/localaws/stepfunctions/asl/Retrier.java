package io.cqrsworkers.localaws.stepfunctions.asl;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** One Retry rule of a Task, Parallel or Map state. */
public final class Retrier {
    public final List<String> errorEquals;
    public final double intervalSeconds;
    public final int maxAttempts;
    public final double backoffRate;
    public final Integer maxDelaySeconds;
    public final boolean fullJitter;

    private Retrier(Fields f) {
        this.errorEquals = ErrorNames.parse(f);
        this.intervalSeconds = f.has("IntervalSeconds") ? positive(f, "IntervalSeconds", 1) : 1;
        this.maxAttempts = f.has("MaxAttempts") ? positive(f, "MaxAttempts", 0) : 3;
        this.backoffRate = f.has("BackoffRate") ? f.get("BackoffRate").asDouble() : 2.0;
        if (f.has("BackoffRate") && (!f.get("BackoffRate").isNumber() || backoffRate < 1.0)) {
            f.problems.add("SCHEMA_VALIDATION_FAILED", "The value for the field 'BackoffRate' must be greater than or equal to 1.0", f.path + "/BackoffRate");
        }
        this.maxDelaySeconds = f.positiveInt("MaxDelaySeconds", 1);
        String jitter = f.string("JitterStrategy", false);
        if (jitter != null && !jitter.equals("FULL") && !jitter.equals("NONE")) {
            f.problems.add("SCHEMA_VALIDATION_FAILED", "The value for the field 'JitterStrategy' must be one of [FULL, NONE]", f.path + "/JitterStrategy");
        }
        this.fullJitter = "FULL".equals(jitter);
        f.onlyKnown(Set.of("ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment"), null);
    }

    private static int positive(Fields f, String field, int min) {
        Integer v = f.positiveInt(field, min);
        return v == null ? min : v;
    }

    /** Delay before retry number {@code attempt} (0-based), before jitter. */
    public double delaySeconds(int attempt) {
        double d = intervalSeconds * Math.pow(backoffRate, attempt);
        return maxDelaySeconds == null ? d : Math.min(d, maxDelaySeconds);
    }

    static List<Retrier> parseAll(Fields f) {
        JsonNode retry = f.get("Retry");
        List<Retrier> list = new ArrayList<>();
        if (retry == null) {
            return list;
        }
        if (!retry.isArray()) {
            f.problems.add("SCHEMA_VALIDATION_FAILED", "The value for the field 'Retry' must be an ARRAY", f.path + "/Retry");
            return list;
        }
        for (int i = 0; i < retry.size(); i++) {
            list.add(new Retrier(new Fields(retry.get(i), f.path + "/Retry[" + i + "]", f.problems)));
        }
        ErrorNames.checkAllLast(list.stream().map(r -> r.errorEquals).toList(), f, "Retry");
        return list;
    }
}
