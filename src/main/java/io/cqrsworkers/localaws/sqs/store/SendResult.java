package io.cqrsworkers.localaws.sqs.store;

/**
 * What a send answers: the message's id and, in FIFO queues, its sequence number. A FIFO send deduplicated within
 * five minutes of an earlier one answers with the earlier message's.
 */
public record SendResult(String messageId, String sequenceNumber) {
}
