package io.cqrsworkers.localaws.sqs.store;

/** One message handed out by a receive, with the receive state as it was at that moment. */
public record Delivery(Message message, String receiptHandle, int receiveCount, long firstReceiveMillis) {
}
