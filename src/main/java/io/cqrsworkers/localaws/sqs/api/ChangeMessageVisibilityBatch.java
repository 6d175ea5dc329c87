package io.cqrsworkers.localaws.sqs.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.http.AwsJsonServer.Operation;
import io.cqrsworkers.localaws.sqs.store.SqsException;
import io.cqrsworkers.localaws.sqs.store.Queue;
import io.cqrsworkers.localaws.sqs.store.Queues;

final class ChangeMessageVisibilityBatch implements Operation {

    private final Queues queues;

    ChangeMessageVisibilityBatch(Queues queues) {
        this.queues = queues;
    }

    @Override
    public ObjectNode handle(JsonNode request) {
        Queue queue = Requests.queue(queues, request);
        ObjectNode out = Requests.object();
        ArrayNode ok = out.putArray("Successful");
        ArrayNode failed = out.putArray("Failed");
        for (JsonNode entry : Requests.batchEntries(request, "ChangeMessageVisibilityBatchRequestEntry")) {
            String id = entry.get("Id").asText();
            try {
                ChangeMessageVisibility.change(queue, entry);
                ok.addObject().put("Id", id);
            } catch (SqsException e) {
                Requests.failed(failed, id, e);
            }
        }
        return out;
    }
}
