package io.cqrsworkers.localaws.stepfunctions.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.localaws.stepfunctions.runtime.StateRun;

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
            f.problems.add("SCHEMA_VALIDATION_FAILED", "The value for the field 'Timestamp' must be a valid ISO-8601 extended offset date-time format string", f.path + "/Timestamp");
        }
    }

    @Override
    public void execute(StateRun run) {
        JsonNode in = run.effectiveInput();
        Instant until;
        if (seconds != null || secondsPath != null) {
            JsonNode s = seconds != null ? run.value(seconds, run.input()) : run.path(secondsPath, in);
            if (!s.isIntegralNumber() || s.asLong() < 0) {
                run.fail("States.Runtime", "The value for the field 'Seconds' must be a non-negative integer, but was '" + s + "'");
                return;
            }
            until = run.enteredTime().plusSeconds(s.asLong());
        } else {
            JsonNode t = timestamp != null ? run.value(timestamp, run.input()) : run.path(timestampPath, in);
            until = t.isTextual() ? parse(t.asText()) : null;
            if (until == null) {
                run.fail("States.Runtime", "The value for the field 'Timestamp' must be a valid ISO-8601 extended offset date-time format string, but was '" + t + "'");
                return;
            }
        }
        run.sleepUntil(until, () -> run.succeed(in));
    }

    static Instant parse(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
