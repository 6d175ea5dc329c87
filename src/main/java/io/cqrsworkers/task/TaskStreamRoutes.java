package io.cqrsworkers.task;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.workflow.StreamUris;
import org.apache.camel.builder.RouteBuilder;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * A task's stream INSERT queues it: status QUEUED and a {@code task-execute} message to the task action queue.
 * Sub-task rows (and other rows of the table) are ignored. A repeated record of a task that has already moved on
 * (PROCESSING or later) is not queued again.
 */
public class TaskStreamRoutes extends RouteBuilder {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void configure() {
        TaskModule module = TaskModule.of(getContext());
        from(StreamUris.of(getContext(), "{{table:" + TaskModule.TABLE + "}}", "workers-tasks"))
                .routeId("task-stream")
                .filter(e -> {
                    Record record = e.getMessage().getBody(Record.class);
                    if (!"INSERT".equals(record.eventNameAsString())) {
                        return false;
                    }
                    TaskKeys key = new TaskKeys(record.dynamodb().keys().get("pk").s(),
                            record.dynamodb().keys().get("sk").s());
                    return key.isTask() && !key.isSubTask() && module.service().updateStatus(key, TaskStatus.QUEUED,
                            JSON.createObjectNode(), TaskStatus.CREATED, TaskStatus.QUEUED);
                })
                .process(e -> {
                    Record record = e.getMessage().getBody(Record.class);
                    ObjectNode message = JSON.createObjectNode().put("action", "task-execute")
                            .put("pk", record.dynamodb().keys().get("pk").s())
                            .put("sk", record.dynamodb().keys().get("sk").s());
                    e.getMessage().setBody(message.toString());
                })
                .to("aws2-sqs:{{queue:task-action-queue}}");
    }
}
