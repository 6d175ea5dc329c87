package io.cqrsworkers.task;

/** A request the task API refuses, with its HTTP status. */
public final class TaskException extends RuntimeException {

    private final int status;

    public TaskException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
