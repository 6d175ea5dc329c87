package io.cqrsworkers.localaws.dynamodb.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.http.AwsJsonException;

/** An error answered to the client as DynamoDB does: HTTP status, {@code __type} and message. */
public class DynamoDbException extends AwsJsonException {

    /** Where DynamoDB's own error types live; a type containing '#' is used as given. */
    public static final String NAMESPACE = "com.amazonaws.dynamodb.v20120810#";
    /** Parameter validation comes from the Coral framework, not from DynamoDB itself (dynalite db/index.js). */
    public static final String VALIDATION = "com.amazon.coral.validate#ValidationException";
    /** A member whose JSON type does not fit its shape (dynalite validations/index.js, checkTypes). */
    public static final String SERIALIZATION = "com.amazon.coral.service#SerializationException";

    public DynamoDbException(String type, String message) {
        this(type, message, 400, null);
    }

    public DynamoDbException(String type, String message, int status, ObjectNode extra) {
        super(type.contains("#") ? type : type.equals("ValidationException") ? VALIDATION : NAMESPACE + type,
                message, status, null, extra);
    }

    /** SerializationException carries {@code Message}, every other error {@code message} (dynalite's note). */
    @Override
    public String messageField() {
        return fullType().equals(SERIALIZATION) ? "Message" : "message";
    }

    public static DynamoDbException validation(String message) {
        return new DynamoDbException(VALIDATION, message);
    }

    public static DynamoDbException serialization(String message) {
        return new DynamoDbException(SERIALIZATION, message);
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
}
