package io.cqrsworkers.localaws.sqs.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.http.AwsJsonServer.Operation;
import io.cqrsworkers.localaws.sqs.store.SqsException;
import io.cqrsworkers.localaws.sqs.store.Queue;
import io.cqrsworkers.localaws.sqs.store.QueueAttributes;
import io.cqrsworkers.localaws.sqs.store.Queues;
import io.cqrsworkers.localaws.sqs.store.RedrivePolicy;

import java.util.Map;
import java.util.TreeMap;

final class SetQueueAttributes implements Operation {

    private final Queues queues;

    SetQueueAttributes(Queues queues) {
        this.queues = queues;
    }

    @Override
    public ObjectNode handle(JsonNode request) {
        Queue queue = Requests.queue(queues, request);
        Map<String, String> attributes = new TreeMap<>();
        Requests.stringMap(request, "Attributes").forEach((k, v) ->
                attributes.put(k, QueueAttributes.normalize(k, v, false, queue.fifo())));
        checkDeadLetterTarget(queues, attributes);
        queue.setAttributes(attributes);
        return Requests.object();
    }

    /** A redrive policy must name an existing queue. */
    static void checkDeadLetterTarget(Queues queues, Map<String, String> attributes) {
        String redrive = attributes.get(QueueAttributes.REDRIVE_POLICY);
        if (redrive != null && !redrive.isEmpty()
                && queues.byArn(RedrivePolicy.parse(redrive).deadLetterTargetArn()) == null) {
            throw SqsException.invalidParameter("RedrivePolicy", redrive, "Dead letter target does not exist.");
        }
    }
}
