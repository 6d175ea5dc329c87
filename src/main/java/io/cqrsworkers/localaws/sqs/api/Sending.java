package io.cqrsworkers.localaws.sqs.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.sqs.store.SqsException;
import io.cqrsworkers.localaws.sqs.store.Md5;
import io.cqrsworkers.localaws.sqs.store.Message;
import io.cqrsworkers.localaws.sqs.store.MessageAttribute;
import io.cqrsworkers.localaws.sqs.store.Queue;
import io.cqrsworkers.localaws.sqs.store.SendResult;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.SortedMap;
import java.util.UUID;

/** What SendMessage and SendMessageBatch share: a checked message from one request (entry), and its answer. */
final class Sending {

    private final Clock clock;
    private final String senderId;

    Sending(Clock clock, String senderId) {
        this.clock = clock;
        this.senderId = senderId;
    }

    /** Checks the request (or batch entry) against the queue and builds the message; nothing is sent yet. */
    Message message(Queue queue, JsonNode entry) {
        String body = Requests.required(entry, "MessageBody");
        if (body.isEmpty()) {
            throw SqsException.invalidParameter("The request must contain the parameter MessageBody.");
        }
        checkCharacters(body);
        String group = Requests.text(entry, "MessageGroupId");
        String deduplicationId = Requests.text(entry, "MessageDeduplicationId");
        if (queue.fifo()) {
            if (group == null) {
                throw SqsException.missingParameter("MessageGroupId");
            }
            if (deduplicationId == null && !queue.contentBasedDeduplication()) {
                throw SqsException.invalidParameter("The queue should either have ContentBasedDeduplication enabled "
                        + "or MessageDeduplicationId provided explicitly");
            }
            if (deduplicationId == null) {
                deduplicationId = sha256(body);
            }
            if (entry.hasNonNull("DelaySeconds")) {
                throw notForThisQueueType("DelaySeconds", entry.get("DelaySeconds").asText());
            }
        } else if (deduplicationId != null) {
            // standard queues take a MessageGroupId (fair queues), never a deduplication id
            throw notForThisQueueType("MessageDeduplicationId", deduplicationId);
        }
        int delay = Requests.integer(entry, "DelaySeconds", queue.delaySeconds(), 0, 900);
        SortedMap<String, MessageAttribute> attributes = MessageAttributes.read(entry.get("MessageAttributes"));
        SortedMap<String, MessageAttribute> system = MessageAttributes.read(entry.get("MessageSystemAttributes"));
        for (String name : system.keySet()) {
            if (!name.equals("AWSTraceHeader")) {
                throw SqsException.invalidParameter("Message system attribute name '" + name + "' is invalid.");
            }
        }
        long now = clock.millis();
        Message m = new Message(UUID.randomUUID().toString(), body, attributes, system, now, senderId,
                delay > 0 ? now + delay * 1000L : 0, group, deduplicationId, null);
        if (m.size() > queue.maximumMessageSize()) {
            throw SqsException.invalidParameter("One or more parameters are invalid. Reason: Message must be shorter "
                    + "than " + queue.maximumMessageSize() + " bytes.");
        }
        return m;
    }

    private static SqsException notForThisQueueType(String member, String value) {
        return SqsException.invalidParameter(member, value,
                "The request include parameter that is not valid for this queue type.");
    }

    private static String sha256(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SQS accepts XML's characters only: #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 up. */
    private static void checkCharacters(String body) {
        for (int i = 0; i < body.length(); ) {
            int c = body.codePointAt(i);
            boolean ok = c == 0x9 || c == 0xA || c == 0xD || c >= 0x20 && c <= 0xD7FF || c >= 0xE000 && c <= 0xFFFD
                    || c >= 0x10000 && c <= 0x10FFFF;
            if (!ok) {
                throw SqsException.invalidMessageContents("Invalid binary character '#x"
                        + Integer.toHexString(c).toUpperCase() + "' was found in the message body, the set of allowed "
                        + "characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF");
            }
            i += Character.charCount(c);
        }
    }

    /** The members SendMessage answers with (and a SendMessageBatch result entry). */
    static ObjectNode answer(ObjectNode out, Message m, SendResult result) {
        out.put("MD5OfMessageBody", m.md5OfBody());
        String attributes = Md5.ofAttributes(m.attributes());
        if (attributes != null) {
            out.put("MD5OfMessageAttributes", attributes);
        }
        String system = Md5.ofAttributes(m.systemAttributes());
        if (system != null) {
            out.put("MD5OfMessageSystemAttributes", system);
        }
        out.put("MessageId", result.messageId());
        if (result.sequenceNumber() != null) {
            out.put("SequenceNumber", result.sequenceNumber());
        }
        return out;
    }
}
