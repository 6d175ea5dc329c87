package io.cqrsworkers.callback;

/** Headers read and written by {@code sfn-task:}. */
public final class SfnTaskHeaders {

    /** The task token to answer. */
    public static final String TOKEN = "SfnTaskToken";
    /** SendTaskFailure's error; default: the simple class name of the exchange's exception. */
    public static final String ERROR = "SfnTaskError";
    /** SendTaskFailure's cause; default: the exception's message. */
    public static final String CAUSE = "SfnTaskCause";
    /** Set after the call: true when Step Functions took it, false when the token was already closed. */
    public static final String DELIVERED = "SfnTaskDelivered";

    private SfnTaskHeaders() {
    }
}
