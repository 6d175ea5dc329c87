package io.cqrsworkers.task;

import io.cqrsworkers.workflow.StreamUris;
import org.apache.camel.builder.RouteBuilder;

/**
 * A task's stream INSERT queues it: status QUEUED and a {@code task-execute} message to the task action queue.
 * Sub-task rows (and other rows of the table) are ignored. A repeated record of a task that has already moved on
 * (PROCESSING or later) is not queued again. A record that keeps failing goes to the stream dead-letter queue
 * (the ddb-stream endpoint's deadLetterQueue, see {@link StreamUris}).
 */
public class TaskStreamRoutes extends RouteBuilder {

    /** The keys of the record's row, as the stream delivers them (a {@code Record} body). */
    private static final String KEY = "${body.dynamodb().keys()[%s].s()}";

    @Override
    public void configure() {
        from(StreamUris.of(getContext(), "{{table:" + TaskConfiguration.TABLE + "}}", "workers-tasks"))
                .routeId("task-stream")
                // ddb-stream delivers INSERTs only; aws2-ddbstream (app.streams.component) delivers every event
                .filter(simple("${body.eventNameAsString()} == 'INSERT'"))
                .setHeader(TaskHandlers.PK, simple(KEY.formatted("pk")))
                .setHeader(TaskHandlers.SK, simple(KEY.formatted("sk")))
                .filter().method(TaskService.BEAN, "markQueued")
                .setBody().method(TaskService.BEAN, "executeMessage")
                .to("aws2-sqs:{{queue:task-action-queue}}");
    }
}
