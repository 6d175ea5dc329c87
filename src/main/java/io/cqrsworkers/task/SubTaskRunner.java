package io.cqrsworkers.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.json.Jackson;
import io.cqrsworkers.workflow.StepEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task state machine's iterator step: runs one sub-task's handler. PROCESSING, then COMPLETED with the result;
 * a failure is recorded (FAILED with the error, an alarm) and not passed on, so the Map goes on with the others.
 * A sub-task that has already finished (a redelivered step) is not run again; an outcome that arrives after the
 * sub-task was failed because its execution ended (see {@link TaskExecutionEnds}) does not change it.
 */
public final class SubTaskRunner {

    public static final String BEAN = "subTaskRunner";
    /** The task state machine's step that runs one sub-task. */
    public static final String STATE = "iterator";
    private static final Logger LOG = LoggerFactory.getLogger(SubTaskRunner.class);
    private static final ObjectMapper JSON = Jackson.MAPPER;

    private final TaskService service;
    private final TaskHandlers handlers;

    public SubTaskRunner(TaskService service, TaskHandlers handlers) {
        this.service = service;
        this.handlers = handlers;
    }

    /** @return the step's output (JSON text): the sub-task's key and final status */
    public String run(StepEvent event) {
        TaskKeys key = new TaskKeys(event.input().path("pk").asText(), event.input().path("sk").asText());
        // PROCESSING unless it has finished (one call: the update returns the row with its input); the handler
        // runs while PROCESSING is announced
        TaskStatus status = service.updateSubTaskStatus(key, TaskStatus.PROCESSING, JSON.createObjectNode(),
                        TaskStatus.CREATED, TaskStatus.QUEUED, TaskStatus.PROCESSING)
                .map(processing -> execute(key, processing, event.executionArn()))
                .orElseGet(() -> current(key));
        return JSON.createObjectNode().put("pk", key.pk()).put("sk", key.sk()).put("status", status.name())
                .toString();
    }

    private TaskStatus execute(TaskKeys key, TaskService.SubTaskChange processing, String executionArn) {
        ObjectNode attributes = JSON.createObjectNode();
        Exception failure = null;
        try {
            attributes.set("result", handlers.run(processing.row()));
        } catch (Exception e) {
            failure = e;
        }
        processing.awaitAnnounced();
        if (failure != null) {
            LOG.warn("Sub-task {} failed: {}", key.id(), failure.toString());
            if (service.updateSubTaskStatus(key, TaskStatus.FAILED, JSON.createObjectNode().put("error",
                    failure.toString()), TaskStatus.PROCESSING).map(TaskService.SubTaskChange::awaitAnnounced)
                    .isPresent()) {
                service.notifier().alarm(service.store().table(), key.pk(), key.sk(), failure.toString(),
                        executionArn);
                return TaskStatus.FAILED;
            }
            return current(key);
        }
        return service.updateSubTaskStatus(key, TaskStatus.COMPLETED, attributes, TaskStatus.PROCESSING)
                .map(TaskService.SubTaskChange::awaitAnnounced).map(done -> TaskStatus.COMPLETED)
                .orElseGet(() -> current(key));
    }

    /** The status of a sub-task that had finished already (a redelivered step, or failed because its execution ended). */
    private TaskStatus current(TaskKeys key) {
        TaskStatus status = TaskStatus.valueOf(service.store().get(key)
                .orElseThrow(() -> new IllegalStateException("No sub-task " + key.id())).path("status").asText());
        LOG.info("Sub-task {} is {} already; this outcome is not recorded", key.id(), status);
        return status;
    }
}
