package io.cqrsworkers.localaws.sqs.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.http.AwsJsonServer.Operation;
import io.cqrsworkers.localaws.sqs.store.Queues;

/** Deletes at once (SQS takes up to 60 s and refuses the name meanwhile; tests recreate queues right away). */
final class DeleteQueue implements Operation {

    private final Queues queues;

    DeleteQueue(Queues queues) {
        this.queues = queues;
    }

    @Override
    public ObjectNode handle(JsonNode request) {
        queues.delete(Requests.queue(queues, request));
        return Requests.object();
    }
}
