package io.cqrsworkers.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.json.Jackson;
import io.cqrsworkers.callback.TaskCallbacks;
import io.cqrsworkers.notification.Notifier;
import org.apache.camel.ExchangeProperty;
import io.cqrsworkers.workflow.ExecutionWatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

/**
 * Push-side resume: when the next version already waits (its token is stored), it may go on now. As in the
 * original (v1.3.5), a token that does not exist is benign, and anything else, TaskTimedOut included (the next
 * version's wait timed out, or its token was answered already), raises a {@code push_resume_failed} alarm. The
 * execution has then done its work, so it is no longer watched.
 */
public final class Finish {

    /** The registry name of this step's bean. */
    public static final String BEAN = "finishCommand";
    /** The state of command-handler.asl.json it runs. */
    public static final String STATE = "finish";

    private static final Logger LOG = LoggerFactory.getLogger(Finish.class);
    private static final ObjectMapper JSON = Jackson.MAPPER;

    private final CommandStore store;
    private final TaskCallbacks callbacks;
    private final Notifier notifier;
    private final ExecutionWatch watch;

    public Finish(CommandStore store, TaskCallbacks callbacks, Notifier notifier, ExecutionWatch watch) {
        this.store = store;
        this.callbacks = callbacks;
        this.notifier = notifier;
        this.watch = watch;
    }

    public JsonNode run(@ExchangeProperty(CommandStepContext.PROPERTY) CommandStepContext c) {
        String nextSk = CommandKeys.addVersion(c.skBase(), c.version() + 1);
        String token = store.getCommand(c.module(), c.pk(), nextSk, true)
                .map(next -> next.path("taskToken").asText(null)).orElse(null);
        if (token != null) {
            String output = JSON.createObjectNode().put("result", "resumed_by_prev_version")
                    .put("prevVersion", c.version()).toString();
            RuntimeException failure;
            try {
                failure = callbacks.trySuccess(token, output);
            } catch (RuntimeException e) {
                failure = e;
            }
            if (failure instanceof TaskDoesNotExistException) {
                LOG.info("Version {} of {} {} has no open wait", c.version() + 1, c.pk(), c.skBase());
            } else if (failure instanceof TaskTimedOutException && resumedItself(c, nextSk)) {
                // the original alarms here too, but the next version answered its own wait first (its self-resume
                // after storing the token): a race that ends well, not an operator's problem
                LOG.info("Version {} of {} {} had resumed itself", c.version() + 1, c.pk(), c.skBase());
            } else if (failure != null) {
                String errorName = failure instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                        ? aws.awsErrorDetails().errorCode() : failure.getClass().getSimpleName();
                notifier.alarm(store.tables().table(c.module(), CommandTables.COMMAND), c.pk(), nextSk,
                        "push_resume_failed: nextVersion " + (c.version() + 1) + ", nextSk " + nextSk + ", "
                                + errorName + ": " + failure.getMessage(), c.event().executionArn());
            }
        }
        watch.unwatch(c.event().executionArn());
        return JSON.nullNode();
    }

    /** Whether the next version has left its wait on its own (its status moved past wait_prev_command). */
    private boolean resumedItself(CommandStepContext c, String nextSk) {
        String status = store.getCommand(c.module(), c.pk(), nextSk, true)
                .map(next -> next.path("status").asText("")).orElse("");
        return !status.isEmpty() && !status.startsWith("wait_prev_command:") && !status.startsWith("check_version:");
    }
}
