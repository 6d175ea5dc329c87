package io.cqrsworkers.localaws.stepfunctions.data;

/**
 * A States-language runtime error: the error name (e.g. {@code States.Runtime}) and the cause text as AWS
 * writes it. The cause is the part after AWS's "An error occurred while executing the state ..." prefix,
 * which the engine adds because only it knows the state name and event id.
 */
public final class StatesError extends RuntimeException {

    public static final String RUNTIME = "States.Runtime";
    public static final String INTRINSIC_FAILURE = "States.IntrinsicFailure";
    public static final String QUERY_EVALUATION_ERROR = "States.QueryEvaluationError";
    public static final String REFERENCE_PATH_CONFLICT = "States.ReferencePathConflict";

    private final String error;
    private final String cause;

    public StatesError(String error, String cause) {
        super(error + ": " + cause, null, false, false); // no stack trace: these are data, thrown often
        this.error = error;
        this.cause = cause;
    }

    public String error() {
        return error;
    }

    public String cause() {
        return cause;
    }
}
