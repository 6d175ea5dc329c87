package io.cqrsworkers.task;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.workflow.StartExecution;
import org.apache.camel.builder.RouteBuilder;

/**
 * The task queues and the task state machine's worker steps: the task action queue runs tasks, the iterator step
 * runs sub-tasks, and the sub-task status queue rolls their changes up into the parent. Executions that end
 * without finishing their task are reported by the report_failure step or by the execution watch, see
 * {@link TaskExecutionEnds}.
 * <p>
 * Redelivery and dead letters are the queues' own: a message whose exchange fails is not deleted and comes back
 * after its visibility timeout (a task after {@code app.task.retry-delay-seconds}), until the queue's redrive
 * policy moves it to its DLQ ({@code <queue>-dlq}). A task's message stays invisible while it runs (extended as
 * needed).
 */
public class TaskWorkerRoutes extends RouteBuilder {

    private static final String CONSUMER = "?waitTimeSeconds={{app.sqs.wait-time-seconds:10}}&concurrentConsumers={{app.task.concurrency:8}}";

    @Override
    public void configure() {
        from("aws2-sqs:{{queue:task-action-queue}}" + CONSUMER
                + "&visibilityTimeout={{app.task.retry-delay-seconds:30}}&extendMessageVisibility=true")
                .routeId("task-action")
                // FAILED with the error and an alarm; the exception goes on, so the message comes back
                .onException(Exception.class).bean(TaskRunner.BEAN, "failed").end()
                .setHeader(TaskHandlers.PK, jsonpath("$.pk"))
                .setHeader(TaskHandlers.SK, jsonpath("$.sk"))
                .setBody().method(TaskRunner.BEAN, "pending")
                .filter(body().isNotNull())
                .choice()
                    .when(header(TaskHandlers.PK).startsWith(TaskKeys.SFN_TASK + "#"))
                        .bean(TaskRunner.BEAN, "prepareExecution")
                        .setHeader(StartExecution.MACHINE, constant(TaskRunner.MACHINE))
                        .setHeader(StartExecution.NAME).method(TaskRunner.BEAN, "executionName")
                        .to(StartExecution.URI)
                        .bean(TaskRunner.BEAN, "watch")
                    .otherwise()
                        .bean(TaskRunner.BEAN, "runTask")
                .end();

        // the step's reply (the sub-task's key and status) answers its task token
        from("direct:" + TaskRunner.MACHINE + "." + SubTaskRunner.STATE)
                .routeId(TaskRunner.MACHINE + "." + SubTaskRunner.STATE)
                .bean(SubTaskRunner.BEAN, "run");

        from("direct:" + TaskRunner.MACHINE + "." + TaskExecutionEnds.STATE)
                .routeId(TaskRunner.MACHINE + "." + TaskExecutionEnds.STATE)
                .bean(TaskExecutionEnds.BEAN, "reportCaught")
                .setBody(constant("{}"));

        from("aws2-sqs:{{queue:sub-task-status-queue}}" + CONSUMER + "&maxMessagesPerPoll=10")
                .routeId("sub-task-status")
                .unmarshal().json(JsonNode.class)
                .bean(RollUp.BEAN, "onSubTaskChange");
    }
}
