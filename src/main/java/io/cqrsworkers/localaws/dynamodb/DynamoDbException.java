package io.cqrsworkers.localaws.dynamodb;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.http.AwsJsonException;

/** An error answered to the client as DynamoDB does: HTTP status, {@code __type} and message. */
public class DynamoDbException extends AwsJsonException {

    /** Where DynamoDB's own error types live; a type containing '#' is used as given. */
    public static final String NAMESPACE = "com.amazonaws.dynamodb.v20120810#";

    public DynamoDbException(String type, String message) {
        this(type, message, 400, null);
    }

    public DynamoDbException(String type, String message, int status, ObjectNode extra) {
        super(type.contains("#") ? type : NAMESPACE + type, message, status, null, extra);
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
}
