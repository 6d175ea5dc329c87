package io.cqrsworkers.localaws.sqs.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.http.AwsJsonServer.Operation;
import io.cqrsworkers.localaws.sqs.store.Delivery;
import io.cqrsworkers.localaws.sqs.store.Md5;
import io.cqrsworkers.localaws.sqs.store.Message;
import io.cqrsworkers.localaws.sqs.store.MessageAttribute;
import io.cqrsworkers.localaws.sqs.store.Queue;
import io.cqrsworkers.localaws.sqs.store.Queues;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;

/** Receives up to ten messages; with a wait time, the HTTP exchange is parked until a message or the deadline. */
final class ReceiveMessage implements Operation {

    private final Queues queues;

    ReceiveMessage(Queues queues) {
        this.queues = queues;
    }

    @Override
    public ObjectNode handle(JsonNode request) {
        return handleAsync(request).join();
    }

    @Override
    public CompletableFuture<ObjectNode> handleAsync(JsonNode request) {
        Queue queue = Requests.queue(queues, request);
        int max = Requests.integer(request, "MaxNumberOfMessages", 1, 1, 10);
        int visibility = Requests.integer(request, "VisibilityTimeout", queue.visibilityTimeout(), 0, 43_200);
        int wait = Requests.integer(request, "WaitTimeSeconds", queue.receiveWaitSeconds(), 0, 20);
        Set<String> system = new HashSet<>(Requests.strings(request, "AttributeNames"));
        system.addAll(Requests.strings(request, "MessageSystemAttributeNames"));
        List<String> attributeNames = Requests.strings(request, "MessageAttributeNames");
        return queue.receive(max, visibility, wait).thenApply(got -> render(got, system, attributeNames));
    }

    private static ObjectNode render(List<Delivery> deliveries, Set<String> system, List<String> attributeNames) {
        ObjectNode out = Requests.object();
        if (deliveries.isEmpty()) {
            return out;
        }
        ArrayNode messages = out.putArray("Messages");
        for (Delivery d : deliveries) {
            Message m = d.message();
            ObjectNode o = messages.addObject();
            o.put("MessageId", m.id());
            o.put("ReceiptHandle", d.receiptHandle());
            o.put("MD5OfBody", m.md5OfBody());
            o.put("Body", m.body());
            ObjectNode attributes = systemAttributes(d, system);
            if (!attributes.isEmpty()) {
                o.set("Attributes", attributes);
            }
            SortedMap<String, MessageAttribute> selected = MessageAttributes.select(m.attributes(), attributeNames);
            if (!selected.isEmpty()) {
                o.put("MD5OfMessageAttributes", Md5.ofAttributes(selected));
                o.set("MessageAttributes", MessageAttributes.write(selected));
            }
        }
        return out;
    }

    private static ObjectNode systemAttributes(Delivery d, Set<String> names) {
        ObjectNode a = Requests.object();
        if (names.isEmpty()) {
            return a;
        }
        boolean all = names.contains("All");
        Message m = d.message();
        if (all || names.contains("SenderId")) {
            a.put("SenderId", m.senderId());
        }
        if (all || names.contains("SentTimestamp")) {
            a.put("SentTimestamp", String.valueOf(m.sentMillis()));
        }
        if (all || names.contains("ApproximateReceiveCount")) {
            a.put("ApproximateReceiveCount", String.valueOf(d.receiveCount()));
        }
        if (all || names.contains("ApproximateFirstReceiveTimestamp")) {
            a.put("ApproximateFirstReceiveTimestamp", String.valueOf(d.firstReceiveMillis()));
        }
        MessageAttribute trace = m.systemAttributes().get("AWSTraceHeader");
        if (trace != null && (all || names.contains("AWSTraceHeader"))) {
            a.put("AWSTraceHeader", trace.stringValue());
        }
        if (m.groupId() != null && (all || names.contains("MessageGroupId"))) {
            a.put("MessageGroupId", m.groupId());
        }
        if (m.deduplicationId() != null && (all || names.contains("MessageDeduplicationId"))) {
            a.put("MessageDeduplicationId", m.deduplicationId());
        }
        if (m.sequenceNumber() != null && (all || names.contains("SequenceNumber"))) {
            a.put("SequenceNumber", m.sequenceNumber());
        }
        if (m.deadLetterSourceArn() != null && (all || names.contains("DeadLetterQueueSourceArn"))) {
            a.put("DeadLetterQueueSourceArn", m.deadLetterSourceArn());
        }
        return a;
    }
}
