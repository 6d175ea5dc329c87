package io.cqrsworkers.task;

/** The statuses a task or sub-task is given (the original declares STARTED, FINISHED and ERRORED but never sets them). */
public enum TaskStatus {
    CREATED, QUEUED, PROCESSING, COMPLETED, FAILED;

    public boolean finished() {
        return this == COMPLETED || this == FAILED;
    }
}
