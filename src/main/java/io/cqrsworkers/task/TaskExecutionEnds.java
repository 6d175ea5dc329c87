package io.cqrsworkers.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.json.Jackson;
import io.cqrsworkers.workflow.ExecutionWatch;
import io.cqrsworkers.workflow.StepEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * Every way a step-function task's execution can end without its sub-tasks finishing it leaves the task FAILED
 * (with the error, the cause and an alarm), never PROCESSING forever, and its unfinished sub-tasks FAILED with the
 * reason (they will not run any more):
 * <ul>
 * <li>an error of the Map is caught by the machine, whose step {@value #STATE} reports it here;</li>
 * <li>the execution's own timeout and StopExecution cannot be caught: the {@link ExecutionWatch} tells
 * {@link #ended} about executions that ended TIMED_OUT, ABORTED or FAILED.</li>
 * </ul>
 * The task is failed by a write conditional on PROCESSING, so the report, the watch and several replicas fail it
 * (and raise the alarm) once; sub-tasks are failed only from CREATED, QUEUED or PROCESSING.
 */
public final class TaskExecutionEnds implements ExecutionWatch.Owner {

    public static final String BEAN = "taskExecutionEnds";
    /** The task state machine's step that reports a caught error. */
    public static final String STATE = "report_failure";
    private static final Logger LOG = LoggerFactory.getLogger(TaskExecutionEnds.class);
    private static final ObjectMapper JSON = Jackson.MAPPER;

    private final TaskService service;

    public TaskExecutionEnds(TaskService service) {
        this.service = service;
    }

    /** The {@value #STATE} step: its input is the caught error, {"Error","Cause"}; the parent is the items'. */
    public void reportCaught(StepEvent event) {
        JsonNode items = event.executionInput();
        if (!items.isArray() || items.isEmpty()) {
            LOG.warn("Execution {} failed before any sub-task: {}", event.executionArn(), event.input());
            return;
        }
        TaskKeys parent = new TaskKeys(items.get(0).path("pk").asText(), items.get(0).path("sk").asText()).parent();
        fail(parent, event.executionArn(), ExecutionStatus.FAILED.toString(),
                event.input().path("Error").asText("States.Runtime"), event.input().path("Cause").asText(""));
    }

    /** A watched execution of a task ended TIMED_OUT, ABORTED or FAILED (row: parentPk, parentSk). */
    @Override
    public void ended(ObjectNode row, ExecutionWatch.Ending ending) {
        fail(new TaskKeys(row.path("parentPk").asText(), row.path("parentSk").asText()), ending.executionArn(),
                ending.status(), ending.error(), ending.cause());
    }

    private void fail(TaskKeys parent, String executionArn, String executionStatus, String error, String cause) {
        ObjectNode attributes = JSON.createObjectNode().put("executionStatus", executionStatus)
                .put("error", error).put("cause", cause);
        String reason = "Execution " + executionStatus + ": " + error + (cause.isEmpty() ? "" : ": " + cause);
        if (service.store().failExecution(parent, attributes)) {
            LOG.warn("Task {} FAILED: its execution ended {} ({}: {})", parent.id(), executionStatus, error, cause);
            service.notifier().notify(TaskService.TASK_STATUS, service.store().table(), parent.pk(), parent.sk(),
                    TaskService.content(TaskStatus.FAILED, attributes));
            service.notifier().alarm(service.store().table(), parent.pk(), parent.sk(), reason, executionArn);
        }
        // also when the parent was failed before: a crash may have come between the two
        for (ObjectNode subTask : service.store().subTaskStatuses(parent)) {
            TaskKeys key = new TaskKeys(subTask.path("pk").asText(), subTask.path("sk").asText());
            service.updateSubTaskStatus(key, TaskStatus.FAILED, JSON.createObjectNode().put("error", reason),
                            TaskStatus.CREATED, TaskStatus.QUEUED, TaskStatus.PROCESSING)
                    .ifPresent(TaskService.SubTaskChange::awaitAnnounced);
        }
    }
}
