package io.cqrsworkers.localaws.sqs.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.http.AwsJsonServer.Operation;
import io.cqrsworkers.localaws.sqs.store.SqsException;
import io.cqrsworkers.localaws.sqs.store.MoveTask;
import io.cqrsworkers.localaws.sqs.store.Queue;
import io.cqrsworkers.localaws.sqs.store.Queues;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * StartMessageMoveTask, ListMessageMoveTasks and CancelMessageMoveTask (dead-letter queue redrive). A task handle
 * is, as in SQS, base64 of {@code {"taskId":...,"sourceArn":...}}; it is listed only while the task runs.
 */
final class MessageMoveTasks implements Operation {

    enum Action { START, LIST, CANCEL }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Queues queues;
    private final Action action;

    MessageMoveTasks(Queues queues, Action action) {
        this.queues = queues;
        this.action = action;
    }

    @Override
    public ObjectNode handle(JsonNode request) {
        return switch (action) {
            case START -> start(request);
            case LIST -> list(request);
            case CANCEL -> cancel(request);
        };
    }

    private ObjectNode start(JsonNode request) {
        String sourceArn = Requests.required(request, "SourceArn");
        String destinationArn = Requests.text(request, "DestinationArn");
        Integer rate = request.hasNonNull("MaxNumberOfMessagesPerSecond")
                ? Requests.integer(request, "MaxNumberOfMessagesPerSecond", 0, 1, 500) : null;
        Queue source = existing(sourceArn, "SourceArn");
        boolean isDeadLetterQueue = queues.all().stream().anyMatch(q -> sourceArn.equals(q.deadLetterTargetArn()));
        if (!isDeadLetterQueue) {
            throw SqsException.invalidParameter("Source queue must be configured as a Dead Letter Queue.");
        }
        if (destinationArn != null) {
            existing(destinationArn, "DestinationArn");
            if (destinationArn.equals(sourceArn)) {
                throw SqsException.invalidParameter("Source queue arn and destination queue arn cannot be the same.");
            }
        }
        MoveTask task = queues.moveTasks().start(source, destinationArn, rate);
        return Requests.object().put("TaskHandle", handle(task));
    }

    private ObjectNode list(JsonNode request) {
        String sourceArn = Requests.required(request, "SourceArn");
        int max = Requests.integer(request, "MaxResults", 1, 1, 10);
        existing(sourceArn, "SourceArn");
        ObjectNode out = Requests.object();
        ArrayNode results = out.putArray("Results");
        for (MoveTask t : queues.moveTasks().list(sourceArn, max)) {
            ObjectNode r = results.addObject();
            if (t.status() == MoveTask.Status.RUNNING) {
                r.put("TaskHandle", handle(t));
            }
            r.put("Status", t.status().name());
            r.put("SourceArn", t.sourceArn());
            if (t.destinationArn() != null) {
                r.put("DestinationArn", t.destinationArn());
            }
            if (t.maxPerSecond() != null) {
                r.put("MaxNumberOfMessagesPerSecond", t.maxPerSecond());
            }
            r.put("ApproximateNumberOfMessagesMoved", t.moved());
            r.put("ApproximateNumberOfMessagesToMove", t.toMove());
            if (t.failureReason() != null) {
                r.put("FailureReason", t.failureReason());
            }
            r.put("StartedTimestamp", t.startedMillis());
        }
        return out;
    }

    private ObjectNode cancel(JsonNode request) {
        String handle = Requests.required(request, "TaskHandle");
        JsonNode decoded;
        try {
            decoded = JSON.readTree(new String(Base64.getDecoder().decode(handle), StandardCharsets.UTF_8));
        } catch (Exception e) {
            decoded = null;
        }
        if (decoded == null || !decoded.path("taskId").isTextual() || !decoded.path("sourceArn").isTextual()) {
            throw SqsException.invalidParameter("Value for parameter TaskHandle is invalid.");
        }
        existing(decoded.get("sourceArn").asText(), "SourceArn");
        MoveTask task = queues.moveTasks().cancel(decoded.get("taskId").asText());
        return Requests.object().put("ApproximateNumberOfMessagesMoved", task.moved());
    }

    private Queue existing(String arn, String parameter) {
        if (!arn.startsWith("arn:")) {
            throw SqsException.invalidParameter("You must use this format to specify the " + parameter
                    + ": arn:<partition>:<service>:<region>:<account-id>:<resource-id>");
        }
        Queue q = queues.byArn(arn);
        if (q == null) {
            throw SqsException.resourceNotFound("The resource that you specified for the " + parameter
                    + " parameter doesn't exist.");
        }
        return q;
    }

    private static String handle(MoveTask task) {
        String json = JSON.createObjectNode().put("taskId", task.id()).put("sourceArn", task.sourceArn()).toString();
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
