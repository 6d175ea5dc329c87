package io.cqrsworkers.stream;

import java.util.Set;
import java.util.function.BooleanSupplier;

import com.amazonaws.services.dynamodbv2.streamsadapter.adapter.DynamoDBStreamsClientRecord;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * Takes one stream record to its end: filtered out, delivered to the route, or, after {@code maxAttempts}
 * failed exchanges with exponential backoff, sent to the dead-letter queue. It gives up only when the consumer
 * stops; the record is then not checkpointed and will be read again.
 */
final class RecordDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(RecordDelivery.class);

    private final DdbStreamConsumer consumer;
    private final DdbStreamConfiguration config;
    private final Set<String> eventNames;
    private final StreamMetrics metrics;
    private final DeadLetterQueue deadLetters;
    private final BooleanSupplier stopping;

    RecordDelivery(DdbStreamConsumer consumer, DdbStreamConfiguration config, StreamMetrics metrics,
                   DeadLetterQueue deadLetters, BooleanSupplier stopping) {
        this.consumer = consumer;
        this.config = config;
        this.eventNames = config.eventNameFilter();
        this.metrics = metrics;
        this.deadLetters = deadLetters;
        this.stopping = stopping;
    }

    /** @return true when the record is done with (may be checkpointed), false when stopped before that. */
    boolean deliver(String shardId, DynamoDBStreamsClientRecord streamRecord) {
        Record record = streamRecord.getRecord();
        if (!eventNames.isEmpty() && !eventNames.contains(record.eventNameAsString())) {
            metrics.filtered.increment();
            return true;
        }
        Attempts result = attempt(shardId, record);
        if (result.outcome() == Outcome.STOPPED
                || result.outcome() == Outcome.FAILED && !giveUp(shardId, record, result.failure())) {
            return false;
        }
        metrics.processed(streamRecord.approximateArrivalTimestamp());
        return true;
    }

    enum Outcome { DELIVERED, FAILED, STOPPED }

    /** How the deliveries of one record ended, with the last failure when FAILED. */
    private record Attempts(Outcome outcome, Throwable failure) {
    }

    /**
     * Delivers a record taken from the dead-letter queue again, exactly as its first delivery (same exchange, same
     * retries); after {@code maxAttempts} failures it is dead-lettered again, with this attempt's error.
     *
     * @return DELIVERED, FAILED (back in the dead-letter queue) or STOPPED (the consumer stops; nothing sent)
     */
    Outcome redeliver(String shardId, Record record) {
        Attempts result = attempt(shardId, record);
        if (result.outcome() == Outcome.FAILED && !giveUp(shardId, record, result.failure())) {
            return Outcome.STOPPED;
        }
        return result.outcome();
    }

    private Attempts attempt(String shardId, Record record) {
        Throwable failure = null;
        for (int attempt = 1; attempt <= config.getMaxAttempts(); attempt++) {
            if (attempt > 1) {
                metrics.retries.increment();
                if (!pause(backoff(attempt - 1))) {
                    return new Attempts(Outcome.STOPPED, failure);
                }
            }
            if (stopping.getAsBoolean()) {
                return new Attempts(Outcome.STOPPED, failure);
            }
            failure = process(shardId, record, attempt);
            if (failure == null) {
                metrics.delivered.increment();
                return new Attempts(Outcome.DELIVERED, null);
            }
            LOG.warn("Delivery {} of {} failed for record {} (shard {}): {}", attempt, config.getMaxAttempts(),
                    record.dynamodb().sequenceNumber(), shardId, failure.toString());
        }
        return new Attempts(Outcome.FAILED, failure);
    }

    /** Runs one exchange through the route; returns its failure or null. */
    private Throwable process(String shardId, Record record, int attempt) {
        Exchange exchange = consumer.createExchange(false);
        try {
            Message in = exchange.getIn();
            in.setBody(record);
            in.setHeader(DdbStreamHeaders.EVENT_SOURCE, record.eventSource());
            in.setHeader(DdbStreamHeaders.EVENT_ID, record.eventID());
            in.setHeader(DdbStreamHeaders.EVENT_NAME, record.eventNameAsString());
            in.setHeader(DdbStreamHeaders.SHARD_ID, shardId);
            in.setHeader(DdbStreamHeaders.SEQUENCE_NUMBER, record.dynamodb().sequenceNumber());
            in.setHeader(DdbStreamHeaders.APPROXIMATE_ARRIVAL, record.dynamodb().approximateCreationDateTime());
            in.setHeader(DdbStreamHeaders.ATTEMPT, attempt);
            try {
                consumer.getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            if (exchange.getException() != null) {
                return exchange.getException();
            }
            return exchange.isRollbackOnly() ? new IllegalStateException("exchange marked rollback-only") : null;
        } finally {
            consumer.releaseExchange(exchange, false);
        }
    }

    /** Dead-letters the record, retrying SQS until it accepts or the consumer stops. */
    private boolean giveUp(String shardId, Record record, Throwable failure) {
        if (deadLetters == null) {
            metrics.skipped.increment();
            LOG.error("Giving up on record {} of {} (shard {}) after {} attempts and no deadLetterQueue is set: {}",
                    record.dynamodb().sequenceNumber(), config.getTableName(), shardId, config.getMaxAttempts(), record,
                    failure);
            return true;
        }
        while (true) {
            try {
                deadLetters.send(config.getTableName(), shardId, record, config.getMaxAttempts(), failure);
                metrics.deadLetters.increment();
                LOG.error("Record {} (shard {}) sent to dead-letter queue {} after {} attempts",
                        record.dynamodb().sequenceNumber(), shardId, deadLetters.queueUrl(), config.getMaxAttempts(),
                        failure);
                return true;
            } catch (RuntimeException e) {
                LOG.error("Cannot reach dead-letter queue {}; the shard waits and retries", deadLetters.queueUrl(), e);
                if (!pause(config.getMaxRetryDelayMs())) {
                    return false;
                }
            }
        }
    }

    long backoff(int retry) {
        long delay = config.getRetryDelayMs() << Math.min(retry - 1, 30);
        return Math.min(delay < 0 ? Long.MAX_VALUE : delay, config.getMaxRetryDelayMs());
    }

    /** Sleeps in small steps so a stopping consumer is not held up by a long backoff. */
    private boolean pause(long millis) {
        long until = System.currentTimeMillis() + millis;
        try {
            while (!stopping.getAsBoolean()) {
                long left = until - System.currentTimeMillis();
                if (left <= 0) {
                    return true;
                }
                Thread.sleep(Math.min(left, 100));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }
}
