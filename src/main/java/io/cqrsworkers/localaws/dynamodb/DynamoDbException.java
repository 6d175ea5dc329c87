package io.cqrsworkers.localaws.dynamodb;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** An error answered to the client as AWS does: HTTP status, {@code __type} and message. */
public class DynamoDbException extends RuntimeException {

    private static final String PREFIX = "com.amazonaws.dynamodb.v20120810#";

    private final String type;
    private final int status;
    private final transient ObjectNode extra;

    public DynamoDbException(String type, String message) {
        this(type, message, 400, null);
    }

    public DynamoDbException(String type, String message, int status, ObjectNode extra) {
        super(message, null, false, false);
        this.type = type;
        this.status = status;
        this.extra = extra;
    }

    public static DynamoDbException validation(String message) {
        return new DynamoDbException("ValidationException", message);
    }

    public static DynamoDbException notFound(String message) {
        return new DynamoDbException("ResourceNotFoundException", message);
    }

    public static DynamoDbException inUse(String message) {
        return new DynamoDbException("ResourceInUseException", message);
    }

    public static DynamoDbException conditionFailed() {
        return new DynamoDbException("ConditionalCheckFailedException", "The conditional request failed");
    }

    public String type() {
        return type;
    }

    public String fullType() {
        return type.contains("#") ? type : PREFIX + type;
    }

    public int status() {
        return status;
    }

    /** Extra top-level fields of the error body (e.g. CancellationReasons, Item), or null. */
    public ObjectNode extra() {
        return extra;
    }
}
