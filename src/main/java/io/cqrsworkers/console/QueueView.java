package io.cqrsworkers.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.json.Jackson;
import io.cqrsworkers.resources.ResourceDescription;
import org.apache.camel.Header;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksResultEntry;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The queues of infra/resources.yaml with their dead-letter queues: depths (visible, in flight, delayed), the last
 * redrive of each DLQ, and the redrive itself (StartMessageMoveTask from the DLQ back to its source queue).
 */
public class QueueView {

    public static final String BEAN = "consoleQueues";
    private static final List<QueueAttributeName> DEPTHS = List.of(QueueAttributeName.QUEUE_ARN,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED);

    private final SqsClient sqs;
    private final String prefix;
    private final ResourceDescription resources;
    private final boolean readOnly;
    private final Map<String, String> urls = new ConcurrentHashMap<>();

    public QueueView(SqsClient sqs, String prefix, ResourceDescription resources, boolean readOnly) {
        this.sqs = sqs;
        this.prefix = prefix;
        this.resources = resources;
        this.readOnly = readOnly;
    }

    public JsonNode queues() {
        ObjectNode answer = Jackson.MAPPER.createObjectNode();
        ArrayNode list = answer.putArray("queues");
        for (ResourceDescription.Queue queue : resources.queues()) {
            ObjectNode row = list.addObject().put("name", queue.name());
            row.set("queue", depths(queue.name()));
            ObjectNode dlq = depths(queue.deadLetterName());
            row.set("dlq", dlq);
            if (dlq.has("arn")) {
                List<ListMessageMoveTasksResultEntry> moves = sqs.listMessageMoveTasks(
                        b -> b.sourceArn(dlq.get("arn").asText()).maxResults(1)).results();
                if (!moves.isEmpty()) {
                    ListMessageMoveTasksResultEntry last = moves.get(0);
                    row.putObject("lastRedrive").put("status", last.status())
                            .put("moved", last.approximateNumberOfMessagesMoved())
                            .put("toMove", last.approximateNumberOfMessagesToMove())
                            .put("startedAt", last.startedTimestamp())
                            .put("failureReason", last.failureReason());
                }
            }
        }
        answer.put("readOnly", readOnly);
        return answer;
    }

    /** Moves the messages of {@code queue}'s DLQ back to {@code queue}; refused when the console is read-only. */
    public JsonNode redrive(@Header("queue") String queue) {
        if (readOnly) {
            throw new ConsoleException(403, "The console is read-only here (app.console.read-only)");
        }
        ResourceDescription.Queue found = resources.queues().stream().filter(q -> q.name().equals(queue)).findFirst()
                .orElseThrow(() -> new ConsoleException(404, "No queue '" + queue + "' in " + ResourceDescription.LOCATION));
        String source = arn(found.deadLetterName());
        String destination = arn(found.name());
        String handle = sqs.startMessageMoveTask(b -> b.sourceArn(source).destinationArn(destination)).taskHandle();
        return Jackson.MAPPER.createObjectNode().put("queue", queue).put("taskHandle", handle);
    }

    private ObjectNode depths(String logicalName) {
        ObjectNode row = Jackson.MAPPER.createObjectNode().put("name", prefix + logicalName);
        String url = url(logicalName);
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(url)
                .attributeNames(DEPTHS)).attributes();
        row.put("arn", attributes.get(QueueAttributeName.QUEUE_ARN))
                .put("visible", number(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)))
                .put("inFlight", number(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)))
                .put("delayed", number(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)));
        return row;
    }

    private String arn(String logicalName) {
        String url = url(logicalName);
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    private String url(String logicalName) {
        return urls.computeIfAbsent(logicalName, name -> sqs.getQueueUrl(b -> b.queueName(prefix + name)).queueUrl());
    }

    private static long number(String value) {
        return value == null ? 0 : Long.parseLong(value);
    }
}
