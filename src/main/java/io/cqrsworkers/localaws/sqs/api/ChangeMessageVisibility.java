package io.cqrsworkers.localaws.sqs.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.http.AwsJsonServer.Operation;
import io.cqrsworkers.localaws.sqs.store.SqsException;
import io.cqrsworkers.localaws.sqs.store.Queue;
import io.cqrsworkers.localaws.sqs.store.Queues;

final class ChangeMessageVisibility implements Operation {

    private final Queues queues;

    ChangeMessageVisibility(Queues queues) {
        this.queues = queues;
    }

    @Override
    public ObjectNode handle(JsonNode request) {
        change(Requests.queue(queues, request), request);
        return Requests.object();
    }

    /** One change, for the single action and each batch entry. */
    static void change(Queue queue, JsonNode entry) {
        String handle = Requests.required(entry, "ReceiptHandle");
        JsonNode t = entry.get("VisibilityTimeout");
        if (t == null || t.isNull()) {
            throw SqsException.missingParameter("VisibilityTimeout");
        }
        if (!t.canConvertToInt() || t.asInt() < 0 || t.asInt() > 43_200) {
            throw SqsException.invalidParameter("VisibilityTimeout", t.asText(), "Must be between 0 and 43200.");
        }
        queue.changeVisibility(handle, t.asInt());
    }
}
