package io.cqrsworkers.localaws.stepfunctions.core;

/** An API error as Step Functions returns it: the {@code __type} name and the message text. */
public final class SfnException extends RuntimeException {
    private final String type;

    public SfnException(String type, String message) {
        super(message, null, false, false);
        this.type = type;
    }

    public String type() {
        return type;
    }

    public static SfnException validation(String message) {
        return new SfnException("ValidationException", message);
    }

    public static SfnException invalidArn(String message) {
        return new SfnException("InvalidArn", "Invalid Arn: '" + message + "'");
    }
}
