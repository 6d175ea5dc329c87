package io.cqrsworkers.workflow;

/** A workflow request refused (unknown machine or execution, name taken), with its HTTP status. */
public final class WorkflowException extends RuntimeException {

    private final int status;

    public WorkflowException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
