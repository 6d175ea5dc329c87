package io.cqrsworkers.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.json.Jackson;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.callback.TaskCallbacks;
import io.cqrsworkers.notification.Notifier;
import io.cqrsworkers.workflow.ExecutionNames;
import io.cqrsworkers.workflow.ExecutionWatch;
import io.cqrsworkers.workflow.StateMachines;
import io.cqrsworkers.workflow.Workflows;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.util.Map;
import java.util.Optional;

/**
 * What happens when a command's execution ends TIMED_OUT, ABORTED or FAILED (told by the {@link ExecutionWatch}):
 * <ul>
 * <li>the command is marked {@code <step>:FAILED} (the state the execution was in) with {@code error}, {@code cause}
 * and {@code executionStatus}, a {@code command-status} notification and an alarm; unless a step already reported it
 * (a step that failed records its own {@code <step>:FAILED} and alarm; a Fail state was chosen by a step that raised
 * its alarm), or the command had finished;</li>
 * <li>the next version, if it waits in wait_prev_command, gets the failure at once
 * ({@value #PREVIOUS_FAILED}) instead of waiting out its 24 h timeout: wait_prev_command_failed records
 * {@code wait_prev_command:FAILED}, raises the alarm and fails that execution, which in turn reaches the version
 * after it. A version whose predecessor was already in finish goes on instead (its data is applied).</li>
 * </ul>
 * A version that starts waiting after its predecessor's execution ended learns it from {@link #previousEnded}.
 */
public final class CommandExecutionEnds implements ExecutionWatch.Owner {

    /** The registry name of the bean. */
    public static final String BEAN = "commandExecutionEnds";

    /** The error a waiting version is failed with when its predecessor's execution ended abnormally. */
    public static final String PREVIOUS_FAILED = "Command.PreviousVersionFailed";
    private static final Logger LOG = LoggerFactory.getLogger(CommandExecutionEnds.class);
    private static final ObjectMapper JSON = Jackson.MAPPER;

    private final CommandStore store;
    private final CommandStatus status;
    private final Notifier notifier;
    private final TaskCallbacks callbacks;
    private final Workflows workflows;
    private final StateMachines machines;

    public CommandExecutionEnds(CommandStore store, CommandStatus status, Notifier notifier, TaskCallbacks callbacks,
                                Workflows workflows, StateMachines machines) {
        this.store = store;
        this.status = status;
        this.notifier = notifier;
        this.callbacks = callbacks;
        this.workflows = workflows;
        this.machines = machines;
    }

    /** What the command's watch row holds. */
    public static Map<String, String> subject(String module, String pk, String sk) {
        return Map.of("module", module, "commandPk", pk, "commandSk", sk);
    }

    @Override
    public void ended(ObjectNode row, ExecutionWatch.Ending ending) {
        String module = row.path("module").asText();
        String pk = row.path("commandPk").asText();
        String sk = row.path("commandSk").asText();
        ObjectNode command = store.getCommand(module, pk, sk, true).orElse(null);
        if (command == null) {
            LOG.warn("Command {} {} of execution {} no longer exists", pk, sk, ending.executionArn());
            return;
        }
        String seen = command.path("status").asText(null);
        if (CommandStatus.FINISHED.equals(seen)) {
            return;
        }
        String step = ending.lastState() != null ? ending.lastState()
                : seen != null ? seen.substring(0, seen.lastIndexOf(':')) : "check_version";
        boolean reported = ending.failState()
                || ExecutionStatus.FAILED.toString().equals(ending.status()) && seen != null && seen.endsWith(":FAILED");
        String table = store.tables().table(module, CommandTables.COMMAND);
        if (!reported && store.recordExecutionEnd(module, pk, sk, seen, step + ":FAILED", ending.error(),
                ending.cause(), ending.status())) {
            LOG.warn("Command {} {} {}:FAILED: its execution ended {} ({}: {})", pk, sk, step, ending.status(),
                    ending.error(), ending.cause());
            status.announce(module, pk, sk, step + ":FAILED", command.path("source").asText(null));
            notifier.alarm(table, pk, sk, step + " failed: " + ending.describe(), ending.executionArn());
        }
        long version = command.path("version").asLong();
        String nextSk = CommandKeys.addVersion(CommandKeys.removeVersion(sk), version + 1);
        String token = store.getCommand(module, pk, nextSk, true).map(n -> n.path("taskToken").asText(null))
                .orElse(null);
        if (token == null) {
            return;
        }
        if ("finish".equals(step)) {
            callbacks.success(token, JSON.createObjectNode().put("result", "resumed_by_prev_version")
                    .put("prevVersion", version).toString());
        } else if (callbacks.failure(token, PREVIOUS_FAILED, "version " + version + " of " + pk + " / "
                + CommandKeys.removeVersion(sk) + " ended " + ending.status() + " in " + step + ": "
                + ending.error() + (ending.cause().isEmpty() ? "" : ": " + ending.cause()))) {
            LOG.warn("Version {} of {} {} failed: its predecessor's execution ended {}", version + 1, pk, nextSk,
                    ending.status());
        }
    }

    /**
     * The pull side, for a version that has just stored its token: whether the previous version's execution has
     * ended other than SUCCEEDED (then nothing will resume this one).
     *
     * @return why, when it has ended so
     */
    public Optional<String> previousEnded(String module, String pk, String previousSk, JsonNode previous) {
        String name = ExecutionNames.of(module, pk, previousSk);
        // none: published synchronously, or forgotten after its retention
        DescribeExecutionResponse execution = workflows.execution(
                machines.executionArn(CommandWorkerRoutes.MACHINE, name)).orElse(null);
        if (execution == null) {
            return Optional.empty();
        }
        if (execution.status() == ExecutionStatus.RUNNING || execution.status() == ExecutionStatus.SUCCEEDED) {
            return Optional.empty();
        }
        return Optional.of("version " + CommandKeys.versionOf(previousSk) + " of " + pk + " / "
                + CommandKeys.removeVersion(previousSk) + " ended " + execution.statusAsString() + " with status "
                + previous.path("status").asText() + (execution.error() != null ? ": " + execution.error() : "")
                + (execution.cause() != null ? ": " + execution.cause() : ""));
    }
}
