package io.cqrsworkers.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.notification.Notifier;
import io.cqrsworkers.json.Jackson;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.ProducerTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.Optional;

/**
 * Creates tasks and changes their status; every change is announced as the original does: {@code task-status}
 * (tasks) or {@code sub-task-status} (sub-tasks) on the notification queue, and a sub-task's change also on the
 * sub-task status queue, which rolls it up into the parent.
 */
public final class TaskService {

    /** Its registry name. */
    public static final String BEAN = "taskService";
    /** Where a sub-task's change asks for the roll-up of its parent. */
    static final String SUB_TASK_STATUS_QUEUE = "aws2-sqs:{{queue:sub-task-status-queue}}";
    public static final String TASK_STATUS = "task-status";
    public static final String SUB_TASK_STATUS = "sub-task-status";
    private static final ObjectMapper JSON = Jackson.MAPPER;
    private static final int SUB_TASK_WRITERS = 16;

    private final TaskStore store;
    private final Notifier notifier;
    private final ProducerTemplate producer;
    /** Sends the announcements of sub-task changes; threads come and go with the load (idle ones end). */
    private final ExecutorService announcers = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "task-announce");
        thread.setDaemon(true);
        return thread;
    });

    /** @param producer sends the roll-up requests (aws2-sqs) */
    public TaskService(TaskStore store, Notifier notifier, ProducerTemplate producer) {
        this.store = store;
        this.notifier = notifier;
        this.producer = producer;
    }

    public TaskStore store() {
        return store;
    }

    public Notifier notifier() {
        return notifier;
    }

    /**
     * Writes a new task with status CREATED; its stream INSERT queues it.
     *
     * @param request {"taskType", "tenantCode", "name"?, "input"} (input an array for a step-function task)
     */
    public ObjectNode create(JsonNode request, boolean stepFunction, String requestId) {
        String type = required(request, "taskType");
        String tenant = required(request, "tenantCode");
        JsonNode input = request.path("input");
        if (stepFunction && !input.isArray()) {
            throw new TaskException(400, "A step-function task needs an array 'input'");
        }
        if (!stepFunction && input.isMissingNode()) {
            throw new TaskException(400, "A task needs an 'input'");
        }
        TaskKeys key = TaskKeys.create(stepFunction, tenant, type);
        String code = key.sk().substring(key.sk().indexOf('#') + 1);
        String now = TaskStore.now();
        ObjectNode task = JSON.createObjectNode()
                .put("pk", key.pk()).put("sk", key.sk()).put("id", key.id()).put("code", code)
                .put("version", 0).put("type", type).put("name", request.path("name").asText(type))
                .put("tenantCode", tenant).put("status", TaskStatus.CREATED.name());
        task.set("input", input);
        task.putObject("attributes");
        task.put("requestId", requestId).put("createdAt", now).put("updatedAt", now);
        store.put(task);
        return task;
    }

    /** As {@link #read}; 404 when there is no such task. */
    public ObjectNode get(TaskKeys key) {
        return read(key).orElseThrow(() -> new TaskException(404, "No task " + key.pk() + " / " + key.sk()));
    }

    /** The task with, for a step-function task, its sub-tasks (consistent reads). */
    public Optional<ObjectNode> read(TaskKeys key) {
        return store.get(key).map(task -> {
            if (key.isStepFunctionTask() && !key.isSubTask()) {
                ArrayNode rows = task.putArray("subTaskRows");
                store.subTasks(key).forEach(rows::add);
            }
            return task;
        });
    }

    /**
     * The stream step: a task (not a sub-task) written CREATED becomes QUEUED. A repeated record of a task still
     * QUEUED (its message may not have been sent before a crash) passes again; one that has moved on does not.
     */
    public boolean markQueued(@Header(TaskHandlers.PK) String pk, @Header(TaskHandlers.SK) String sk) {
        TaskKeys key = new TaskKeys(pk, sk);
        return key.isTask() && !key.isSubTask()
                && updateStatus(key, TaskStatus.QUEUED, JSON.createObjectNode(), TaskStatus.CREATED, TaskStatus.QUEUED);
    }

    /** The task action queue's message that runs a task: {"action":"task-execute","pk","sk"}. */
    public String executeMessage(@Header(TaskHandlers.PK) String pk, @Header(TaskHandlers.SK) String sk) {
        return JSON.createObjectNode().put("action", "task-execute").put("pk", pk).put("sk", sk).toString();
    }

    /** Sets a task's status (see {@link TaskStore#setStatus}) and notifies {@code task-status}. */
    public boolean updateStatus(TaskKeys key, TaskStatus status, ObjectNode attributes, TaskStatus... onlyFrom) {
        boolean updated = store.setStatus(key, status, attributes, onlyFrom).isPresent();
        if (updated) {
            notifier.notify(TASK_STATUS, store.table(), key.pk(), key.sk(), content(status, attributes));
        }
        return updated;
    }

    /**
     * Sets a sub-task's status (see {@link TaskStore#setStatus}) and announces it: {@code sub-task-status} on the
     * notification queue and a roll-up request for the parent on the sub-task status queue. The two messages are
     * sent at the same time, off the caller's thread, so a caller can run the sub-task meanwhile; it waits for
     * {@link SubTaskChange#announced()} before its next change (notifications stay in order) and before the step
     * answers (no change is left unannounced).
     *
     * @return the change; empty (and nothing announced) when its status is not one of {@code onlyFrom}
     */
    public Optional<SubTaskChange> updateSubTaskStatus(TaskKeys key, TaskStatus status, ObjectNode attributes,
                                                       TaskStatus... onlyFrom) {
        return store.setStatus(key, status, attributes, onlyFrom).map(row -> {
            ObjectNode content = content(status, attributes);
            ObjectNode message = JSON.createObjectNode().put("action", SUB_TASK_STATUS).put("table", store.table())
                    .put("pk", key.pk()).put("sk", key.sk()).put("tenantCode", key.tenantCode());
            message.set("content", content);
            return new SubTaskChange(row, CompletableFuture.allOf(
                    CompletableFuture.runAsync(() -> notifier.notify(SUB_TASK_STATUS, store.table(), key.pk(),
                            key.sk(), content), announcers),
                    CompletableFuture.runAsync(() -> requestRollUp(message.toString()), announcers)));
        });
    }

    /** One SendMessage through aws2-sqs; its failure (an SDK exception) is thrown as it is. */
    private void requestRollUp(String message) {
        Exchange sent = producer.send(SUB_TASK_STATUS_QUEUE, e -> e.getMessage().setBody(message));
        if (sent.getException() != null) {
            throw sent.getException() instanceof RuntimeException r ? r : new IllegalStateException(sent.getException());
        }
    }

    /** A sub-task's status change: the updated row, and its announcement (completes when both are sent). */
    public record SubTaskChange(ObjectNode row, CompletableFuture<Void> announced) {

        /** Waits for the announcement; a failed send is thrown as it is (an SDK error stays retryable). */
        public ObjectNode awaitAnnounced() {
            try {
                announced.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
            return row;
        }
    }

    /**
     * Writes the sub-task rows (CREATED) of a step-function task, several at a time as the original does; rows of
     * an earlier attempt stay as they are.
     */
    public List<TaskKeys> createSubTasks(ObjectNode parent) throws Exception {
        TaskKeys parentKey = new TaskKeys(parent.path("pk").asText(), parent.path("sk").asText());
        JsonNode items = parent.path("input");
        List<TaskKeys> keys = new ArrayList<>();
        List<Callable<Void>> puts = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            TaskKeys key = parentKey.subTask(i);
            ObjectNode row = parent.deepCopy();
            row.remove(List.of("attributes", "rollupVersion"));
            row.put("sk", key.sk()).put("id", key.id()).put("code", Ulid.next())
                    .put("status", TaskStatus.CREATED.name());
            row.set("input", items.get(i));
            row.putObject("attributes");
            keys.add(key);
            puts.add(() -> {
                store.putIfAbsent(row);
                return null;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(SUB_TASK_WRITERS);
        try {
            for (Future<Void> put : pool.invokeAll(puts)) {
                put.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return keys;
    }

    /** A notification's content: the status and the changed attributes, without the list of sub-tasks (large). */
    static ObjectNode content(TaskStatus status, ObjectNode attributes) {
        ObjectNode content = JSON.createObjectNode().put("status", status.name());
        content.set("attributes", attributes.deepCopy().without("subTasks"));
        return content;
    }

    private static String required(JsonNode request, String field) {
        String value = request.path(field).asText("");
        if (value.isBlank()) {
            throw new TaskException(400, "'" + field + "' is required");
        }
        if (value.contains("#")) {
            throw new TaskException(400, "'" + field + "' must not contain '#'");
        }
        return value;
    }
}
