package io.cqrsworkers.localaws.sqs.store;

import io.cqrsworkers.localaws.http.AwsJsonException;

/**
 * An SQS error as the JSON protocol sends it: {@code __type} names the error shape (the SDK picks its exception class
 * by it), {@code x-amzn-query-error} carries the older Query code (the SDK reports it as the error code).
 */
public final class SqsException extends AwsJsonException {

    private static final String NAMESPACE = "com.amazonaws.sqs#";

    private final String queryCode;

    public SqsException(String shape, String queryCode, String message, int status) {
        super(NAMESPACE + shape, message, status, queryCode + ";Sender", null);
        this.queryCode = queryCode;
    }

    /** The code a batch entry failure reports, e.g. {@code ReceiptHandleIsInvalid}. */
    public String queryCode() {
        return queryCode;
    }

    public static SqsException queueDoesNotExist() {
        return new SqsException("QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue",
                "The specified queue does not exist.", 400);
    }

    public static SqsException queueNameExists(String attribute) {
        return new SqsException("QueueNameExists", "QueueAlreadyExists",
                "A queue already exists with the same name and a different value for attribute " + attribute, 400);
    }

    public static SqsException invalidParameter(String message) {
        return new SqsException("InvalidParameterValue", "InvalidParameterValue", message, 400);
    }

    /** "Value X for parameter P is invalid. Reason: R." */
    public static SqsException invalidParameter(String parameter, Object value, String reason) {
        return invalidParameter("Value " + value + " for parameter " + parameter + " is invalid. Reason: " + reason);
    }

    public static SqsException missingParameter(String parameter) {
        return new SqsException("MissingParameter", "MissingParameter",
                "The request must contain the parameter " + parameter + ".", 400);
    }

    public static SqsException invalidAttributeName(String name) {
        return new SqsException("InvalidAttributeName", "InvalidAttributeName", "Unknown Attribute " + name + ".", 400);
    }

    public static SqsException invalidAttributeValue(String name) {
        return new SqsException("InvalidAttributeValue", "InvalidAttributeValue",
                "Invalid value for the parameter " + name + ".", 400);
    }

    public static SqsException receiptHandleIsInvalid(String handle) {
        return new SqsException("ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid",
                "The input receipt handle \"" + handle + "\" is not a valid receipt handle.", 400);
    }

    public static SqsException messageNotInflight() {
        return new SqsException("MessageNotInflight", "AWS.SimpleQueueService.MessageNotInflight",
                "The message referred to isn't in flight.", 400);
    }

    /** 404 ResourceNotFoundException, e.g. a move task's SourceArn or DestinationArn that names no queue. */
    public static SqsException resourceNotFound(String message) {
        return new SqsException("ResourceNotFoundException", "ResourceNotFoundException", message, 404);
    }

    public static SqsException unsupportedOperation(String message) {
        return new SqsException("UnsupportedOperation", "AWS.SimpleQueueService.UnsupportedOperation", message, 400);
    }

    public static SqsException invalidMessageContents(String message) {
        return new SqsException("InvalidMessageContents", "InvalidMessageContents", message, 400);
    }
}
