package io.cqrsworkers.localaws.stepfunctions.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.localaws.stepfunctions.data.JsonPaths;
import io.cqrsworkers.localaws.stepfunctions.data.StatesError;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.stream.Stream;

/** Wait: parks the branch (no thread held) for Seconds or until Timestamp, then passes its input on. */
public final class WaitState extends State {
    private final JsonNode seconds;
    private final String secondsPath;
    private final JsonNode timestamp;
    private final String timestampPath;

    WaitState(String name, Fields f, QueryLanguage language) {
        super(name, f, language, Set.of("InputPath", "OutputPath", "Seconds", "SecondsPath", "Timestamp", "TimestampPath", "Assign", "Output"), true);
        this.seconds = f.get("Seconds");
        this.secondsPath = f.string("SecondsPath", false);
        this.timestamp = f.get("Timestamp");
        this.timestampPath = f.string("TimestampPath", false);
        long given = Stream.of(seconds, secondsPath, timestamp, timestampPath).filter(v -> v != null).count();
        if (given != 1) {
            f.problems.add("SCHEMA_VALIDATION_FAILED", "A Wait state must contain exactly one of 'Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath'", f.path);
        }
        if (seconds != null && !seconds.isIntegralNumber() && !seconds.isTextual()) {
            f.problems.add("SCHEMA_VALIDATION_FAILED", "The value for the field 'Seconds' must be a non-negative integer", f.path + "/Seconds");
        }
        if (timestamp != null && !timestamp.asText().startsWith("{%") && parse(timestamp.asText()) == null) {
            f.problems.add("SCHEMA_VALIDATION_FAILED", "String does not match RFC3339 timestamp", f.path + "/Timestamp");
        }
    }

    /** AWS refuses a delay of more than 2^31-1 seconds (LocalStack's recorded test_timestamp_too_far_in_future_boundary). */
    private static final long MAX_DELAY_SECONDS = Integer.MAX_VALUE;

    /*
     * Causes as AWS words them (recorded AWS histories in LocalStack's test_wait and test_base_scenarios snapshots);
     * run.failRuntime adds AWS's "An error occurred while executing the state ..." prefix.
     */
    @Override
    public void execute(StateContext run) {
        JsonNode in = run.effectiveInput();
        Instant until;
        if (seconds != null) {
            JsonNode s = run.value(seconds, run.input());
            if (!s.isIntegralNumber() || s.asLong() < 0) {
                // not recorded from AWS: a Seconds expression that yields no non-negative integer
                run.failRuntime(StatesError.RUNTIME, "The value for the field 'Seconds' must be a non-negative integer, but was '" + s + "'");
                return;
            }
            until = later(run, s.asLong());
        } else if (secondsPath != null) {
            JsonNode s = JsonPaths.find(secondsPath, run.scope(in));
            if (s == null) {
                run.failRuntime(StatesError.RUNTIME, "The SecondsPath parameter does not reference an input value: " + secondsPath);
                return;
            }
            if (!s.isIntegralNumber() && !(s.isTextual() && s.asText().matches("-?\\d{1,18}"))) {
                run.failRuntime(StatesError.RUNTIME, "The SecondsPath parameter cannot be parsed as a long value: " + secondsPath + " == " + s.asText(s.toString()));
                return;
            }
            if (s.asLong() < 0) {
                run.failRuntime(StatesError.RUNTIME, "The SecondsPath parameter references a negative value: " + secondsPath + " == " + s.asText());
                return;
            }
            until = later(run, s.asLong());
        } else if (timestamp != null) {
            JsonNode t = run.value(timestamp, run.input());
            until = t.isTextual() ? parse(t.asText()) : null;
            if (until == null) {
                run.failRuntime(language == QueryLanguage.JSONATA ? StatesError.QUERY_EVALUATION_ERROR : StatesError.RUNTIME,
                        "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: " + t.asText(t.toString()));
                return;
            }
        } else {
            JsonNode t = JsonPaths.find(timestampPath, run.scope(in));
            if (t == null) {
                run.failRuntime(StatesError.RUNTIME, "The TimestampPath parameter does not reference an input value: " + timestampPath);
                return;
            }
            until = t.isTextual() ? parse(t.asText()) : null;
            if (until == null) {
                run.failRuntime(StatesError.RUNTIME, "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: "
                        + timestampPath + " == " + t.asText(t.toString()));
                return;
            }
        }
        if (until == null) {
            return;
        }
        if (until.getEpochSecond() - run.enteredTime().getEpochSecond() > MAX_DELAY_SECONDS) {
            run.failRuntime(StatesError.RUNTIME, "Wait state delay is too long.");
            return;
        }
        run.sleepUntil(until, () -> run.succeed(in));
    }

    private static Instant later(StateContext run, long seconds) {
        return seconds > MAX_DELAY_SECONDS * 2 ? run.enteredTime().plusSeconds(MAX_DELAY_SECONDS * 2) : run.enteredTime().plusSeconds(seconds);
    }

    static Instant parse(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
