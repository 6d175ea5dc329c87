package io.cqrsworkers.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.callback.TaskCallbacks;
import io.cqrsworkers.json.Jackson;
import io.cqrsworkers.workflow.StepEvent;
import io.cqrsworkers.workflow.StepHeaders;
import org.apache.camel.Exchange;

import java.util.Map;

/**
 * The approval example's store and callbacks (bean {@value #BEAN} for its YAML routes): a request row
 * ({@code pk APPROVAL}, {@code sk <requestId>}) in the tasks table keeps the waiting step's task token until
 * somebody approves or rejects it.
 */
public final class Approvals {

    public static final String BEAN = "approvals";
    public static final String REJECTED = "Approval.Rejected";
    private static final String PK = "APPROVAL";
    private static final Map<String, String> STATUS_OF_STATE =
            Map.of("approved", "APPROVED", "rejected", "REJECTED", "timed_out", "TIMED_OUT");
    private static final ObjectMapper JSON = Jackson.MAPPER;

    private final TaskService tasks;
    private final TaskCallbacks callbacks;

    public Approvals(TaskService tasks, TaskCallbacks callbacks) {
        this.tasks = tasks;
        this.callbacks = callbacks;
    }

    /** Worker step: stores the request (the step input, with a "requestId") and its token; answered later. */
    public void store(Exchange exchange) {
        StepEvent event = exchange.getMessage().getHeader(StepHeaders.EVENT, StepEvent.class);
        String requestId = requestId(event.input());
        ObjectNode row = JSON.createObjectNode().put("pk", PK).put("sk", requestId).put("status", "PENDING")
                .put("taskToken", event.taskToken()).put("executionArn", event.executionArn())
                .put("updatedAt", TaskStore.now());
        row.set("request", event.input());
        tasks.store().put(row);
        exchange.getMessage().setHeader(StepHeaders.DEFERRED, true);
    }

    /** Worker step after the decision (or the timeout): records the outcome; a timeout also raises an alarm. */
    public String record(Exchange exchange) {
        StepEvent event = exchange.getMessage().getHeader(StepHeaders.EVENT, StepEvent.class);
        String requestId = requestId(event.input());
        String status = STATUS_OF_STATE.get(event.state());
        ObjectNode row = get(requestId).put("status", status).put("updatedAt", TaskStore.now());
        row.remove("taskToken");
        row.set("decision", event.input().path("decision"));
        tasks.store().put(row);
        if ("TIMED_OUT".equals(status)) {
            tasks.notifier().alarm(tasks.store().table(), PK, requestId,
                    "Approval request " + requestId + " timed out", event.executionArn());
        }
        return JSON.createObjectNode().put("requestId", requestId).put("status", status)
                .put("approved", "APPROVED".equals(status)).toString();
    }

    /** API: answers the waiting step; 404 unknown request, 409 already decided or no longer waiting. */
    public ObjectNode decide(String requestId, boolean approve, JsonNode body) {
        ObjectNode row = get(requestId);
        String token = row.path("taskToken").asText(null);
        String comment = body.path("comment").asText("");
        boolean delivered = token != null && (approve
                ? callbacks.success(token, JSON.createObjectNode().put("approved", true).put("comment", comment)
                        .toString())
                : callbacks.failure(token, REJECTED, comment.isEmpty() ? "rejected" : comment));
        if (!delivered) {
            throw new TaskException(409, "Approval request " + requestId + " is not waiting (" + row.path("status")
                    .asText() + ")");
        }
        return JSON.createObjectNode().put("requestId", requestId).put("decision", approve ? "approve" : "reject");
    }

    /** API: the request as the API shows it (its task token stays private). */
    public ObjectNode view(String requestId) {
        ObjectNode row = get(requestId);
        row.remove("taskToken");
        return row;
    }

    private ObjectNode get(String requestId) {
        return tasks.store().get(new TaskKeys(PK, requestId))
                .orElseThrow(() -> new TaskException(404, "No approval request " + requestId));
    }

    private static String requestId(JsonNode input) {
        String requestId = input.path("requestId").asText("");
        if (requestId.isBlank()) {
            throw new IllegalArgumentException("An approval request needs a 'requestId'");
        }
        return requestId;
    }
}
