package io.cqrsworkers.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.json.Jackson;
import io.cqrsworkers.callback.TaskCallbacks;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.notification.Notifier;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.Set;

/**
 * Parks the execution until the previous version has finished. The token is stored on the command row first; then
 * the previous version's status is read (consistently): if it already reached finish, this step resumes itself.
 * Because finish records its status before it looks for the next token, and this step stores its token before it
 * looks at the previous status, one of the two always sees the other: no chain is left waiting. Likewise for a
 * predecessor whose execution ended without finishing: the execution watch fails the token it finds stored, and
 * this step, having stored it, fails itself when that execution has ended (see {@link CommandExecutionEnds}).
 */
public final class WaitPrevCommand {

    /** The registry name of this step's bean. */
    public static final String BEAN = "waitPrevCommand";
    /** The state of command-handler.asl.json it runs. */
    public static final String STATE = "wait_prev_command";

    private static final Logger LOG = LoggerFactory.getLogger(WaitPrevCommand.class);
    private static final ObjectMapper JSON = Jackson.MAPPER;
    private static final Set<String> FINISHING = Set.of("finish:STARTED", CommandStatus.FINISHED);

    private final CommandStore store;
    private final TaskCallbacks callbacks;
    private final Notifier notifier;
    private final CommandExecutionEnds ends;

    public WaitPrevCommand(CommandStore store, TaskCallbacks callbacks, Notifier notifier, CommandExecutionEnds ends) {
        this.store = store;
        this.callbacks = callbacks;
        this.notifier = notifier;
        this.ends = ends;
    }

    public JsonNode run(@ExchangeProperty(CommandStepContext.PROPERTY) CommandStepContext c) throws InterruptedException {
        String token = c.event().taskToken();
        store.setTaskToken(c.module(), c.pk(), c.sk(), token);
        if (c.version() <= 1) {
            return JSON.createObjectNode().set("result", JSON.createObjectNode().put("token", token));
        }
        long previousVersion = c.version() - 1;
        String previousSk = CommandKeys.addVersion(c.skBase(), previousVersion);
        Optional<ObjectNode> previous = Optional.empty();
        RuntimeException failure = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                previous = store.getCommand(c.module(), c.pk(), previousSk, true);
                failure = null;
                break;
            } catch (RuntimeException e) {
                failure = e;
                if (attempt < 2) {
                    Thread.sleep(100L << attempt); // 100 then 200 ms between the three reads, none after the last
                }
            }
        }
        String table = store.tables().table(c.module(), CommandTables.COMMAND);
        if (failure != null) {
            // the previous version's finish will still resume this one
            notifier.alarm(table, c.pk(), c.sk(), "self_resume_predecessor_read_failed: " + failure.getMessage(),
                    c.event().executionArn());
        } else if (previous.filter(p -> FINISHING.contains(p.path("status").asText())).isPresent()) {
            String output = JSON.createObjectNode().put("result", "resumed_by_prev_version")
                    .put("prevVersion", previousVersion).toString();
            try {
                if (!callbacks.success(token, output)) {
                    LOG.info("Self-resume of {} {}: the token was already answered", c.pk(), c.sk());
                }
            } catch (RuntimeException e) {
                notifier.alarm(table, c.pk(), c.sk(), "self_resume_failed: " + e.getMessage(), c.event().executionArn());
            }
        } else if (previous.isPresent()) {
            // nothing resumes a version whose predecessor's execution has already ended without finishing
            try {
                ends.previousEnded(c.module(), c.pk(), previousSk, previous.get()).ifPresent(why ->
                        callbacks.failure(token, CommandExecutionEnds.PREVIOUS_FAILED, why));
            } catch (RuntimeException e) {
                // the execution watch still fails this version once it sees the predecessor's end
                LOG.warn("Could not look at the execution of {} {}: {}", c.pk(), previousSk, e.toString());
            }
        }
        return JSON.createObjectNode().set("result", JSON.createObjectNode().put("token", token));
    }
}
