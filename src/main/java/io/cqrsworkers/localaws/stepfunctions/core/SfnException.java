package io.cqrsworkers.localaws.stepfunctions.core;

import io.cqrsworkers.localaws.http.AwsJsonException;

/**
 * An API error as Step Functions returns it: 400, the {@code __type} name (bare, as Step Functions answers it) and the
 * message text; the shared AWS JSON server answers it as every emulator's errors.
 */
public final class SfnException extends AwsJsonException {

    public SfnException(String type, String message) {
        super(type, message, 400, null, null);
    }

    public String type() {
        return fullType();
    }

    public static SfnException validation(String message) {
        return new SfnException("ValidationException", message);
    }

    public static SfnException invalidArn(String message) {
        return new SfnException("InvalidArn", "Invalid Arn: '" + message + "'");
    }
}
