package io.cqrsworkers.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.json.Jackson;
import io.cqrsworkers.notification.Notifier;
import org.apache.camel.ExchangeProperty;

/**
 * The Catch of wait_prev_command (its 24 h timeout, typically because the previous version failed): records
 * {@code wait_prev_command:FAILED}, raises an alarm and hands error and cause to the Fail state.
 */
public final class WaitPrevCommandFailed {

    /** The registry name of this step's bean. */
    public static final String BEAN = "waitPrevCommandFailed";
    /** The state of command-handler.asl.json it runs. */
    public static final String STATE = "wait_prev_command_failed";

    private static final ObjectMapper JSON = Jackson.MAPPER;

    private final CommandStore store;
    private final Notifier notifier;

    public WaitPrevCommandFailed(CommandStore store, Notifier notifier) {
        this.store = store;
        this.notifier = notifier;
    }

    public JsonNode run(@ExchangeProperty(CommandStepContext.PROPERTY) CommandStepContext c) {
        JsonNode waitError = c.input().path("waitError");
        String error = waitError.path("Error").asText("States.Timeout");
        String cause = "version " + c.version() + " of " + c.pk() + " / " + c.skBase()
                + " was not resumed by version " + (c.version() - 1) + ": " + waitError.path("Cause").asText(error);
        store.updateStatus(c.module(), c.pk(), c.sk(), "wait_prev_command:FAILED");
        notifier.alarm(store.tables().table(c.module(), CommandTables.COMMAND), c.pk(), c.sk(), cause,
                c.event().executionArn());
        return JSON.createObjectNode().put("error", error).put("cause", cause);
    }
}
