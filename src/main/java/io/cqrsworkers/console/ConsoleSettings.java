package io.cqrsworkers.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.json.Jackson;

/**
 * {@code app.console.*} as the page needs them: whether it may change anything (the DLQ redrive) and how often an
 * open page polls for news. ({@code app.console.enabled} is read by {@link ConsoleRoutes}: off, there are no routes.)
 */
public record ConsoleSettings(boolean readOnly, int refreshMillis, String prefix) {

    public static final String BEAN = "consoleSettings";

    /** What the page needs to know before its first request. */
    public JsonNode info() {
        return Jackson.MAPPER.createObjectNode().put("readOnly", readOnly).put("refreshMillis", refreshMillis)
                .put("prefix", prefix);
    }
}
