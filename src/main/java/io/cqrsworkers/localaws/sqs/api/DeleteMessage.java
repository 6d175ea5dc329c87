package io.cqrsworkers.localaws.sqs.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.http.AwsJsonServer.Operation;
import io.cqrsworkers.localaws.sqs.store.Queues;

final class DeleteMessage implements Operation {

    private final Queues queues;

    DeleteMessage(Queues queues) {
        this.queues = queues;
    }

    @Override
    public ObjectNode handle(JsonNode request) {
        Requests.queue(queues, request).delete(Requests.required(request, "ReceiptHandle"));
        return Requests.object();
    }
}
