package io.cqrsworkers.localaws.sqs.store;

import java.util.SortedMap;

/**
 * A message in a queue. The content is fixed at send; the delivery state is changed only under its queue's lock.
 */
public final class Message {

    /** Where a message is in its life; the queue keeps a count of each. */
    enum State { DELAYED, VISIBLE, IN_FLIGHT, GONE }

    private final String id;
    private final String body;
    private final String md5OfBody;
    private final SortedMap<String, MessageAttribute> attributes;
    private final SortedMap<String, MessageAttribute> systemAttributes;
    private final long sentMillis;
    private final String senderId;
    private final long delayedUntil;
    private final String groupId;
    private final String deduplicationId;
    private final String deadLetterSourceArn;

    /** FIFO queues: the queue's order of sends, set when the message is added; 0 in standard queues. */
    long sequenceNumber;

    State state;
    /** For DELAYED and IN_FLIGHT: when the message becomes visible. */
    long visibleAt;
    /** Orders messages with the same visibleAt in the queue's timed set; unique per queue. */
    long order;
    int receiveCount;
    long firstReceiveMillis;

    public Message(String id, String body, SortedMap<String, MessageAttribute> attributes,
                   SortedMap<String, MessageAttribute> systemAttributes, long sentMillis, String senderId,
                   long delayedUntil, String groupId, String deduplicationId, String deadLetterSourceArn) {
        this.id = id;
        this.body = body;
        this.md5OfBody = Md5.ofBody(body);
        this.attributes = attributes;
        this.systemAttributes = systemAttributes;
        this.sentMillis = sentMillis;
        this.senderId = senderId;
        this.delayedUntil = delayedUntil;
        this.groupId = groupId;
        this.deduplicationId = deduplicationId;
        this.deadLetterSourceArn = deadLetterSourceArn;
    }

    /** The same message arriving in a dead-letter queue: same id, content and receive history. */
    Message movedFrom(String sourceArn) {
        Message m = new Message(id, body, attributes, systemAttributes, sentMillis, senderId, 0, groupId,
                deduplicationId, sourceArn);
        m.receiveCount = receiveCount;
        m.firstReceiveMillis = firstReceiveMillis;
        return m;
    }

    public String id() {
        return id;
    }

    public String body() {
        return body;
    }

    public String md5OfBody() {
        return md5OfBody;
    }

    public SortedMap<String, MessageAttribute> attributes() {
        return attributes;
    }

    public SortedMap<String, MessageAttribute> systemAttributes() {
        return systemAttributes;
    }

    public long sentMillis() {
        return sentMillis;
    }

    public String senderId() {
        return senderId;
    }

    /** When a message sent with a delay becomes visible the first time; 0 without delay. */
    public long delayedUntil() {
        return delayedUntil;
    }

    /** The message group (FIFO queues, and fair standard queues); null without one. */
    public String groupId() {
        return groupId;
    }

    /** FIFO queues: the deduplication id given, or the body's SHA-256 with content-based deduplication. */
    public String deduplicationId() {
        return deduplicationId;
    }

    /** FIFO queues: the 20-digit sequence number SQS answers with; null in standard queues. */
    public String sequenceNumber() {
        return sequenceNumber == 0 ? null : String.format("%020d", sequenceNumber);
    }

    /** Restores the sequence number saved in a data directory. */
    public void restoreSequenceNumber(long sequence) {
        sequenceNumber = sequence;
    }

    /** The queue this message was moved from by its redrive policy, or null. */
    public String deadLetterSourceArn() {
        return deadLetterSourceArn;
    }

    /** Receives so far; read under the queue lock or from a {@link Delivery}. */
    public int receiveCount() {
        return receiveCount;
    }

    public long firstReceiveMillis() {
        return firstReceiveMillis;
    }

    /** Restores the receive history saved in a data directory. */
    public void restoreReceives(int count, long firstMillis) {
        receiveCount = count;
        firstReceiveMillis = firstMillis;
    }

    /** Bytes counted against the queue's maximum message size. */
    public int size() {
        int n = MessageAttribute.utf8Length(body);
        for (var e : attributes.entrySet()) {
            n += e.getValue().size(e.getKey());
        }
        return n;
    }
}
