package io.cqrsworkers.localaws.sqs.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.http.AwsJsonServer.Operation;
import io.cqrsworkers.localaws.sqs.store.SqsException;
import io.cqrsworkers.localaws.sqs.store.Message;
import io.cqrsworkers.localaws.sqs.store.Queue;
import io.cqrsworkers.localaws.sqs.store.Queues;
import io.cqrsworkers.localaws.sqs.store.SendResult;

import java.util.ArrayList;
import java.util.List;

/** Up to ten messages in one request; a bad entry fails alone, the others are sent (under one journal line). */
final class SendMessageBatch implements Operation {

    private static final int MAX_TOTAL_BYTES = 262_144;

    private final Queues queues;
    private final Sending sending;

    SendMessageBatch(Queues queues, Sending sending) {
        this.queues = queues;
        this.sending = sending;
    }

    @Override
    public ObjectNode handle(JsonNode request) {
        Queue queue = Requests.queue(queues, request);
        List<JsonNode> entries = Requests.batchEntries(request, "SendMessageBatchRequestEntry");
        ObjectNode out = Requests.object();
        ArrayNode ok = out.putArray("Successful");
        ArrayNode failed = out.putArray("Failed");
        List<Message> messages = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        long total = 0;
        for (JsonNode entry : entries) {
            String id = entry.get("Id").asText();
            try {
                Message m = sending.message(queue, entry);
                total += m.size();
                messages.add(m);
                ids.add(id);
            } catch (SqsException e) {
                Requests.failed(failed, id, e);
            }
        }
        if (total > MAX_TOTAL_BYTES) {
            throw Requests.batchError("BatchRequestTooLong", "Batch requested message too long.");
        }
        List<SendResult> results = messages.isEmpty() ? List.of() : queue.send(messages);
        for (int i = 0; i < messages.size(); i++) {
            Sending.answer(ok.addObject().put("Id", ids.get(i)), messages.get(i), results.get(i));
        }
        return out;
    }
}
