package io.cqrsworkers.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.stream.ExecutionNames;
import io.cqrsworkers.workflow.ExecutionWatch;
import io.cqrsworkers.workflow.StateMachines;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * Runs a task from the task action queue. A plain task: PROCESSING, its handler, COMPLETED with the result; on
 * an exception FAILED with the error, an alarm, and the exception goes on so SQS delivers the task again (the
 * whole task re-runs) until the queue moves it to its DLQ. A step-function task: its sub-task rows, the parent's
 * counters, and one execution of the task state machine over the sub-tasks.
 */
public final class TaskRunner {

    /** The task state machine's logical name (infra/resources.yaml). */
    public static final String MACHINE = "task-handler";
    private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TaskService service;
    private final TaskHandlers handlers;
    private final StateMachines machines;
    private final ExecutionWatch watch;

    public TaskRunner(TaskService service, TaskHandlers handlers, StateMachines machines, ExecutionWatch watch) {
        this.service = service;
        this.handlers = handlers;
        this.machines = machines;
        this.watch = watch;
    }

    /** @param message the task action message: the task row */
    public void run(JsonNode message) throws Exception {
        TaskKeys key = new TaskKeys(message.path("pk").asText(), message.path("sk").asText());
        JsonNode task = service.store().get(key).orElse(null);
        if (task == null || !key.isTask() || key.isSubTask()) {
            LOG.warn("Task action for {} ignored: no such task", key.id());
            return;
        }
        if (TaskStatus.valueOf(task.path("status").asText()).finished()
                && !task.path("attributes").hasNonNull("error")) {
            LOG.info("Task {} already completed", key.id());
            return;
        }
        try {
            if (key.isStepFunctionTask()) {
                startStepFunctionTask(key, (ObjectNode) task);
            } else {
                runTask(key, task);
            }
        } catch (Exception e) {
            service.updateStatus(key, TaskStatus.FAILED, JSON.createObjectNode().put("error", e.toString()));
            service.notifier().alarm(service.store().table(), key.pk(), key.sk(), e.toString(), null);
            throw e;
        }
    }

    private void runTask(TaskKeys key, JsonNode task) throws Exception {
        service.updateStatus(key, TaskStatus.PROCESSING, JSON.createObjectNode());
        ObjectNode attributes = JSON.createObjectNode();
        attributes.set("result", handlers.run(task));
        if (task.path("attributes").hasNonNull("error")) {
            attributes.putNull("error"); // a retry that succeeded
        }
        service.updateStatus(key, TaskStatus.COMPLETED, attributes);
    }

    private void startStepFunctionTask(TaskKeys key, ObjectNode task) throws Exception {
        service.updateStatus(key, TaskStatus.PROCESSING, JSON.createObjectNode());
        List<TaskKeys> subTasks = service.createSubTasks(task);
        ObjectNode counters = JSON.createObjectNode()
                .put("subTaskCount", subTasks.size()).put("subTaskSucceedCount", 0)
                .put("subTaskFailedCount", 0).put("subTaskRunningCount", 0);
        ArrayNode list = counters.putArray("subTasks");
        ArrayNode input = JSON.createArrayNode();
        for (TaskKeys subTask : subTasks) {
            list.addObject().put("pk", subTask.pk()).put("sk", subTask.sk()).put("status", TaskStatus.CREATED.name());
            input.addObject().put("pk", subTask.pk()).put("sk", subTask.sk());
        }
        // deterministic: a redelivered action finds the running execution (the original appends Date.now())
        String name = ExecutionNames.of(key.pk(), key.sk());
        String executionArn = machines.executionArn(MACHINE, name);
        counters.put("executionArn", executionArn);
        service.updateStatus(key, TaskStatus.PROCESSING, counters);
        machines.start(MACHINE, name, input.toString());
        // after the start, so the watch never sees an execution that does not exist yet; a crash in between
        // redelivers the action, which finds the execution and writes this
        watch.watch(executionArn, Map.of("parentPk", key.pk(), "parentSk", key.sk()));
    }
}
