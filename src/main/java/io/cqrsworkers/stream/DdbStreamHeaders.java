package io.cqrsworkers.stream;

/**
 * Exchange headers set by the {@code ddb-stream} consumer. The first two are the ones
 * {@code aws2-ddbstream} sets (same names), so a route reads the same headers from either endpoint.
 */
public final class DdbStreamHeaders {

    /** Same as Ddb2StreamConstants.EVENT_SOURCE: "aws:dynamodb". */
    public static final String EVENT_SOURCE = "CamelAwsDdbStreamEventSource";
    /** Same as Ddb2StreamConstants.EVENT_ID. */
    public static final String EVENT_ID = "CamelAwsDdbStreamEventId";

    /** INSERT, MODIFY or REMOVE. */
    public static final String EVENT_NAME = "CamelAwsDdbStreamEventName";
    public static final String SHARD_ID = "CamelAwsDdbStreamShardId";
    public static final String SEQUENCE_NUMBER = "CamelAwsDdbStreamSequenceNumber";
    /** {@link java.time.Instant} the change was written to the stream (ApproximateCreationDateTime). */
    public static final String APPROXIMATE_ARRIVAL = "CamelAwsDdbStreamApproximateArrival";
    /** 1 on the first delivery of a record, 2 on its first retry, ... */
    public static final String ATTEMPT = "CamelAwsDdbStreamAttempt";

    private DdbStreamHeaders() {
    }
}
