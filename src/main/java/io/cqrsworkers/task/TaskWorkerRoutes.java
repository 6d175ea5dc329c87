package io.cqrsworkers.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.workflow.StepEvent;
import io.cqrsworkers.workflow.StepHeaders;
import org.apache.camel.builder.RouteBuilder;

/**
 * The task queues and the task state machine's worker steps: the task action queue runs tasks, the iterator step
 * runs sub-tasks, and the sub-task status queue rolls their changes up into the parent. Executions that end
 * without finishing their task are reported by the report_failure step or by the execution watch, see
 * {@link TaskExecutionEnds}. A task's message stays
 * invisible while it runs (extended as needed) and comes back {@code app.task.retry-delay-seconds} after a failure.
 */
public class TaskWorkerRoutes extends RouteBuilder {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void configure() {
        TaskModule module = TaskModule.of(getContext());
        String consumer = "?waitTimeSeconds=5&concurrentConsumers={{app.task.concurrency:8}}";

        from("aws2-sqs:{{queue:task-action-queue}}" + consumer
                + "&visibilityTimeout={{app.task.retry-delay-seconds:30}}&extendMessageVisibility=true")
                .routeId("task-action")
                .process(e -> module.runner().run(JSON.readTree(e.getMessage().getBody(String.class))));

        from("direct:" + TaskRunner.MACHINE + "." + SubTaskRunner.STATE)
                .routeId(TaskRunner.MACHINE + "." + SubTaskRunner.STATE)
                .process(e -> e.getMessage().setBody(module.subTasks()
                        .run(e.getMessage().getHeader(StepHeaders.EVENT, StepEvent.class)).toString()));

        from("direct:" + TaskRunner.MACHINE + "." + TaskExecutionEnds.STATE)
                .routeId(TaskRunner.MACHINE + "." + TaskExecutionEnds.STATE)
                .process(e -> module.executions().reportCaught(
                        e.getMessage().getHeader(StepHeaders.EVENT, StepEvent.class)))
                .setBody(constant("{}"));

        from("aws2-sqs:{{queue:sub-task-status-queue}}" + consumer + "&maxMessagesPerPoll=10")
                .routeId("sub-task-status")
                .process(e -> {
                    JsonNode message = JSON.readTree(e.getMessage().getBody(String.class));
                    module.rollUp().request(new TaskKeys(message.path("pk").asText(), message.path("sk").asText()));
                });
    }
}
