package io.cqrsworkers.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.json.Jackson;
import io.cqrsworkers.workflow.ExecutionNames;
import io.cqrsworkers.workflow.ExecutionWatch;
import io.cqrsworkers.workflow.StateMachines;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * The steps of route {@code task-action} (bean {@value #BEAN}). A plain task: PROCESSING, its handler, COMPLETED
 * with the result. A step-function task: its sub-task rows, the parent's counters, then one execution of the task
 * state machine over the sub-tasks (started by the route), then the execution watch. On an exception the task is
 * FAILED with the error and an alarm ({@link #failed}); the route lets the exception go on, so SQS delivers the task
 * again (the whole task re-runs) until the queue moves it to its DLQ.
 */
public final class TaskRunner {

    public static final String BEAN = "taskRunner";
    /** The task state machine's logical name (infra/resources.yaml). */
    public static final String MACHINE = "task-handler";
    private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);
    private static final ObjectMapper JSON = Jackson.MAPPER;

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

    /**
     * The task the action message names, if it is to run: null when it does not exist, is no task, or has
     * completed (a task that failed before runs again).
     */
    public ObjectNode pending(@Header(TaskHandlers.PK) String pk, @Header(TaskHandlers.SK) String sk) {
        TaskKeys key = new TaskKeys(pk, sk);
        ObjectNode task = service.store().get(key).orElse(null);
        if (task == null || !key.isTask() || key.isSubTask()) {
            LOG.warn("Task action for {} ignored: no such task", key.id());
            return null;
        }
        if (TaskStatus.valueOf(task.path("status").asText()).finished()
                && !task.path("attributes").hasNonNull("error")) {
            LOG.info("Task {} already completed", key.id());
            return null;
        }
        return task;
    }

    /** A plain task: PROCESSING, the handler of its type, COMPLETED with the handler's result. */
    public void runTask(ObjectNode task) throws Exception {
        TaskKeys key = key(task);
        service.updateStatus(key, TaskStatus.PROCESSING, JSON.createObjectNode());
        ObjectNode attributes = JSON.createObjectNode();
        attributes.set("result", handlers.run(task));
        if (task.path("attributes").hasNonNull("error")) {
            attributes.putNull("error"); // a retry that succeeded
        }
        service.updateStatus(key, TaskStatus.COMPLETED, attributes);
    }

    /**
     * A step-function task before its execution starts: PROCESSING, its sub-task rows (CREATED), the counters and
     * the execution's ARN on the parent.
     *
     * @return the execution input: the sub-tasks' keys
     */
    public String prepareExecution(ObjectNode task) throws Exception {
        TaskKeys key = key(task);
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
        counters.put("executionArn", machines.executionArn(MACHINE, executionName(key.pk(), key.sk())));
        service.updateStatus(key, TaskStatus.PROCESSING, counters);
        return input.toString();
    }

    /** Deterministic: a redelivered action finds the running execution (the original appends Date.now()). */
    public String executionName(@Header(TaskHandlers.PK) String pk, @Header(TaskHandlers.SK) String sk) {
        return ExecutionNames.of(pk, sk);
    }

    /**
     * After the start, so the watch never sees an execution that does not exist yet; a crash in between redelivers
     * the action, which finds the execution (the start answers with its ARN) and watches it.
     */
    public void watch(@Header(TaskHandlers.PK) String pk, @Header(TaskHandlers.SK) String sk, String executionArn) {
        watch.watch(executionArn, Map.of("parentPk", pk, "parentSk", sk));
    }

    /** The task failed: FAILED with the error and an alarm (a message without a task's keys only logs). */
    public void failed(@Header(TaskHandlers.PK) String pk, @Header(TaskHandlers.SK) String sk, Exchange exchange) {
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (pk == null || sk == null) {
            LOG.warn("Task action without a task's keys: {}", String.valueOf(failure));
            return;
        }
        TaskKeys key = new TaskKeys(pk, sk);
        service.updateStatus(key, TaskStatus.FAILED, JSON.createObjectNode().put("error", String.valueOf(failure)));
        service.notifier().alarm(service.store().table(), key.pk(), key.sk(), String.valueOf(failure), null);
    }

    private static TaskKeys key(JsonNode task) {
        return new TaskKeys(task.path("pk").asText(), task.path("sk").asText());
    }
}
