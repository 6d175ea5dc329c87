package io.cqrsworkers.localaws.http;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An error answered as AWS JSON 1.0 services do: HTTP status, a body with {@code __type} and {@code message}, and for
 * services that keep their older Query protocol codes (SQS) an {@code x-amzn-query-error: Code;Sender} header, which
 * the SDK reports as the error code.
 */
public class AwsJsonException extends RuntimeException {

    private final String fullType;
    private final int status;
    private final String queryError;
    private final transient ObjectNode extra;

    /**
     * @param fullType   the {@code __type}, e.g. {@code com.amazonaws.sqs#QueueDoesNotExist}
     * @param queryError the {@code x-amzn-query-error} header value, or null
     * @param extra      extra top-level fields of the error body, or null
     */
    public AwsJsonException(String fullType, String message, int status, String queryError, ObjectNode extra) {
        super(message, null, false, false);
        this.fullType = fullType;
        this.status = status;
        this.queryError = queryError;
        this.extra = extra;
    }

    public String fullType() {
        return fullType;
    }

    public int status() {
        return status;
    }

    public String queryError() {
        return queryError;
    }

    public ObjectNode extra() {
        return extra;
    }

    /**
     * The body field that carries the message: {@code message} for most errors; AWS's Coral front answers some
     * (SerializationException) with {@code Message}. A null message is left out of the body.
     */
    public String messageField() {
        return "message";
    }
}
