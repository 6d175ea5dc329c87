package io.cqrsworkers.imports;

import io.cqrsworkers.command.CommandException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Which failures of a row are worth another delivery: AWS being unreachable, throttling or failing (5xx), and a
 * version conflict with a concurrent writer. Anything else is the row's own fault: it is counted as failed with the
 * reason, and the rest goes on.
 */
public final class RowFailures {

    private RowFailures() {
    }

    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SdkClientException) {
                return true;
            }
            if (t instanceof AwsServiceException aws && (aws.statusCode() >= 500 || aws.isThrottlingException())) {
                return true;
            }
            if (t instanceof CommandException command && command.status() == 409) {
                return true;
            }
        }
        return false;
    }
}
