package io.cqrsworkers.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.json.Jackson;

import io.cqrsworkers.notification.Notifier;
/** Records {@code <state>:STARTED|FINISHED|FAILED} on the command row and notifies {@code command-status}. */
public final class CommandStatus {

    /** The registry name of the bean. */
    public static final String BEAN = "commandStatus";

    /** The status of a command whose execution went through: final, no step moves it back. */
    public static final String FINISHED = "finish:FINISHED";

    private static final ObjectMapper JSON = Jackson.MAPPER;

    private final CommandStore store;
    private final Notifier notifier;

    public CommandStatus(CommandStore store, Notifier notifier) {
        this.store = store;
        this.notifier = notifier;
    }

    public void record(String module, String pk, String sk, String status, String source) {
        if (store.updateStatus(module, pk, sk, status)) {
            announce(module, pk, sk, status, source);
        }
    }

    /** The {@code command-status} notification of a status already written. */
    public void announce(String module, String pk, String sk, String status, String source) {
        notifier.notify("command-status", store.tables().table(module, CommandTables.COMMAND), pk, sk,
                JSON.createObjectNode().put("status", status).put("source", source));
    }
}
