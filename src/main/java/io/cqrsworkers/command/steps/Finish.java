package io.cqrsworkers.command.steps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.callback.TaskCallbacks;
import io.cqrsworkers.command.CommandKeys;
import io.cqrsworkers.command.CommandStep;
import io.cqrsworkers.command.CommandStepContext;
import io.cqrsworkers.command.CommandStore;
import io.cqrsworkers.command.CommandTables;
import io.cqrsworkers.command.Notifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Push-side resume: when the next version already waits (its token is stored), it may go on now. */
public final class Finish implements CommandStep {

    private static final Logger LOG = LoggerFactory.getLogger(Finish.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CommandStore store;
    private final TaskCallbacks callbacks;
    private final Notifier notifier;

    public Finish(CommandStore store, TaskCallbacks callbacks, Notifier notifier) {
        this.store = store;
        this.callbacks = callbacks;
        this.notifier = notifier;
    }

    @Override
    public String state() {
        return "finish";
    }

    @Override
    public JsonNode run(CommandStepContext c) {
        String nextSk = CommandKeys.addVersion(c.skBase(), c.version() + 1);
        String token = store.getCommand(c.module(), c.pk(), nextSk, true)
                .map(next -> next.path("taskToken").asText(null)).orElse(null);
        if (token != null) {
            String output = JSON.createObjectNode().put("result", "resumed_by_prev_version")
                    .put("prevVersion", c.version()).toString();
            try {
                if (!callbacks.success(token, output)) {
                    LOG.info("Version {} of {} {} had already been resumed", c.version() + 1, c.pk(), c.skBase());
                }
            } catch (RuntimeException e) {
                notifier.alarm(store.tables().table(c.module(), CommandTables.COMMAND), c.pk(), nextSk,
                        "push_resume_failed: " + e.getMessage(), c.event().executionArn());
            }
        }
        return JSON.nullNode();
    }
}
