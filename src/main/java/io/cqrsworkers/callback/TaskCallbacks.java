package io.cqrsworkers.callback;

import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

/**
 * SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat, which Camel's aws2-step-functions component lacks.
 * A token that is already closed (timed out, or answered before, e.g. by a redelivered message) is reported as
 * {@code false} rather than thrown: for an idempotent worker that callback is done. An invalid token still throws.
 */
public final class TaskCallbacks {

    /** AWS's limits on SendTaskFailure's error and cause. */
    static final int MAX_ERROR = 256;
    static final int MAX_CAUSE = 32768;

    private final SfnClient sfn;

    public TaskCallbacks(SfnClient sfn) {
        this.sfn = sfn;
    }

    /** @param outputJson the task's output, a JSON text */
    public boolean success(String token, String outputJson) {
        return trySuccess(token, outputJson) == null;
    }

    /**
     * As {@link #success}, for a caller to whom the reason matters: null when delivered, else the exception that
     * says the token is closed (TaskTimedOut: it timed out or was answered; TaskDoesNotExist: never known).
     */
    public RuntimeException trySuccess(String token, String outputJson) {
        try {
            sfn.sendTaskSuccess(b -> b.taskToken(token).output(outputJson));
            return null;
        } catch (TaskTimedOutException | TaskDoesNotExistException closed) {
            return closed;
        }
    }

    public boolean failure(String token, String error, String cause) {
        try {
            sfn.sendTaskFailure(b -> b.taskToken(token).error(truncate(error, MAX_ERROR)).cause(truncate(cause, MAX_CAUSE)));
            return true;
        } catch (TaskTimedOutException | TaskDoesNotExistException closed) {
            return false;
        }
    }

    public boolean heartbeat(String token) {
        try {
            sfn.sendTaskHeartbeat(b -> b.taskToken(token));
            return true;
        } catch (TaskTimedOutException | TaskDoesNotExistException closed) {
            return false;
        }
    }

    static String truncate(String text, int max) {
        if (text == null) {
            return null;
        }
        return text.length() <= max ? text : text.substring(0, max);
    }
}
