package io.cqrsworkers.localaws.sqs.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.http.AwsJsonServer.Operation;
import io.cqrsworkers.localaws.sqs.store.SqsException;
import io.cqrsworkers.localaws.sqs.store.Queue;
import io.cqrsworkers.localaws.sqs.store.Queues;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

final class DeleteMessageBatch implements Operation {

    private final Queues queues;

    DeleteMessageBatch(Queues queues) {
        this.queues = queues;
    }

    @Override
    public ObjectNode handle(JsonNode request) {
        Queue queue = Requests.queue(queues, request);
        List<JsonNode> entries = Requests.batchEntries(request, "DeleteMessageBatchRequestEntry");
        List<String> handles = new ArrayList<>();
        entries.forEach(e -> handles.add(Requests.text(e, "ReceiptHandle")));
        Map<Integer, SqsException> failures = new HashMap<>();
        queue.deleteAll(handles, failures);
        ObjectNode out = Requests.object();
        ArrayNode ok = out.putArray("Successful");
        ArrayNode failed = out.putArray("Failed");
        for (int i = 0; i < entries.size(); i++) {
            String id = entries.get(i).get("Id").asText();
            if (failures.containsKey(i)) {
                Requests.failed(failed, id, failures.get(i));
            } else {
                ok.addObject().put("Id", id);
            }
        }
        return out;
    }
}
