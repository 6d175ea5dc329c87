package io.cqrsworkers.localaws.sqs.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.http.AwsJsonServer.Operation;
import io.cqrsworkers.localaws.sqs.store.SqsException;
import io.cqrsworkers.localaws.sqs.store.Queue;
import io.cqrsworkers.localaws.sqs.store.QueueAttributes;
import io.cqrsworkers.localaws.sqs.store.Queues;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Creates a queue; asking again with the same attributes returns the same URL, with others QueueNameExists. */
final class CreateQueue implements Operation {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    private static final Pattern FIFO_NAME = Pattern.compile("[A-Za-z0-9_-]{1,75}\\.fifo");

    private final Queues queues;

    CreateQueue(Queues queues) {
        this.queues = queues;
    }

    @Override
    public ObjectNode handle(JsonNode request) {
        String name = Requests.required(request, "QueueName");
        Map<String, String> requested = Requests.stringMap(request, "Attributes");
        boolean fifo = "true".equalsIgnoreCase(requested.get(QueueAttributes.FIFO_QUEUE));
        if (fifo && !FIFO_NAME.matcher(name).matches()) {
            throw SqsException.invalidParameter("The name of a FIFO queue can only include alphanumeric characters, "
                    + "hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.");
        }
        if (!fifo && !NAME.matcher(name).matches()) {
            throw SqsException.invalidParameter("Can only include alphanumeric characters, hyphens, or underscores. "
                    + "1 to 80 in length");
        }
        Map<String, String> attributes = new TreeMap<>();
        requested.forEach((k, v) -> attributes.put(k, QueueAttributes.normalize(k, v, true, fifo)));
        if ("".equals(attributes.get(QueueAttributes.REDRIVE_POLICY))) {
            attributes.remove(QueueAttributes.REDRIVE_POLICY);
        }
        SetQueueAttributes.checkDeadLetterTarget(queues, attributes);
        Queue q = queues.create(name, fifo, attributes, Requests.stringMap(request, "tags"));
        return Requests.object().put("QueueUrl", queues.url(q));
    }
}
