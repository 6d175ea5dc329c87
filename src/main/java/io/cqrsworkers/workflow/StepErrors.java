package io.cqrsworkers.workflow;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** The error name a failed step reports to Step Functions, which its Retry and Catch rules match on. */
public final class StepErrors {

    /** Worth retrying: the state machines retry this name with backoff. */
    public static final String TRANSIENT = "Worker.TransientError";

    private StepErrors() {
    }

    public static String errorName(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SdkClientException) {
                return TRANSIENT;
            }
            if (t instanceof AwsServiceException aws && (aws.isThrottlingException() || aws.statusCode() >= 500)) {
                return TRANSIENT;
            }
        }
        return failure.getClass().getSimpleName();
    }

    public static String cause(Throwable failure) {
        String message = failure.getMessage();
        return message != null ? message : failure.getClass().getName();
    }
}
