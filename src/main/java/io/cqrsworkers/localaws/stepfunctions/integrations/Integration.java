package io.cqrsworkers.localaws.stepfunctions.integrations;

import com.fasterxml.jackson.databind.JsonNode;

/** One AWS service reachable from Task states as {@code arn:aws:states:::<service>:<action>}. */
public interface Integration {
    /** The service's name in resource ARNs and in history events, e.g. "sqs". */
    String service();

    /** Calls {@code action}; returns the API response, or throws a StatesError naming the service's error. */
    JsonNode call(String action, JsonNode arguments, Attempt attempt);

    /** For {@code .sync} patterns: settles {@code attempt} when the job started by {@link #call} ends. */
    default void awaitCompletion(String action, JsonNode response, boolean jsonOutput, Attempt attempt) {
        attempt.fail("States.Runtime", "The integration '" + service() + ":" + action + "' does not support the .sync pattern");
    }

    default void close() {
    }
}
