package io.cqrsworkers.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.workflow.StepEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.util.Set;

/**
 * Every way a step-function task's execution can end without its sub-tasks finishing it leaves the task FAILED
 * (with the error, the cause and an alarm), never PROCESSING forever:
 * <ul>
 * <li>an error of the Map is caught by the machine, whose step {@value #STATE} reports it here;</li>
 * <li>the execution's own timeout and StopExecution cannot be caught: {@link #sweep()} (a timer on every replica)
 * describes the executions of the tasks still watched and fails those that ended TIMED_OUT, ABORTED or FAILED.</li>
 * </ul>
 * The task is failed by a write conditional on PROCESSING, so the report, the sweep and several replicas fail it
 * (and raise the alarm) once.
 */
public final class ExecutionWatch {

    /** The task state machine's step that reports a caught error. */
    public static final String STATE = "report_failure";
    private static final Logger LOG = LoggerFactory.getLogger(ExecutionWatch.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<ExecutionStatus> ABNORMAL =
            Set.of(ExecutionStatus.TIMED_OUT, ExecutionStatus.ABORTED, ExecutionStatus.FAILED);

    private final TaskService service;
    private final SfnClient sfn;

    public ExecutionWatch(TaskService service, SfnClient sfn) {
        this.service = service;
        this.sfn = sfn;
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

    /** One pass over the watched executions; a row is dropped once its execution has ended. */
    public void sweep() {
        for (ObjectNode row : service.store().watched()) {
            TaskKeys parent = new TaskKeys(row.path("parentPk").asText(), row.path("parentSk").asText());
            String executionArn = row.path("executionArn").asText();
            DescribeExecutionResponse execution;
            try {
                execution = sfn.describeExecution(b -> b.executionArn(executionArn));
            } catch (ExecutionDoesNotExistException e) {
                // rows are written after the start, so only an execution whose history has expired (90 days)
                LOG.warn("Watched execution {} of task {} no longer exists", executionArn, parent.id());
                service.store().unwatch(parent);
                continue;
            }
            if (execution.status() == ExecutionStatus.RUNNING) {
                continue;
            }
            if (ABNORMAL.contains(execution.status())) {
                fail(parent, executionArn, execution.statusAsString(),
                        execution.error() != null ? execution.error() : "Execution." + execution.statusAsString(),
                        execution.cause() != null ? execution.cause() : "");
            }
            service.store().unwatch(parent);
        }
    }

    private void fail(TaskKeys parent, String executionArn, String executionStatus, String error, String cause) {
        ObjectNode attributes = JSON.createObjectNode().put("executionStatus", executionStatus)
                .put("error", error).put("cause", cause);
        if (service.store().failExecution(parent, attributes)) {
            LOG.warn("Task {} FAILED: its execution ended {} ({}: {})", parent.id(), executionStatus, error, cause);
            service.notifier().notify(TaskService.TASK_STATUS, service.store().table(), parent.pk(), parent.sk(),
                    TaskService.content(TaskStatus.FAILED, attributes));
            service.notifier().alarm(service.store().table(), parent.pk(), parent.sk(),
                    "Execution " + executionStatus + ": " + error + (cause.isEmpty() ? "" : ": " + cause),
                    executionArn);
        }
    }
}
