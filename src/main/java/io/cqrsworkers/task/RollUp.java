package io.cqrsworkers.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.json.Jackson;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rolls sub-task statuses up into the parent: counts of succeeded, failed and running from a consistent query,
 * written only if no other roll-up was written since the parent was read (else read again). The parent is
 * COMPLETED when every sub-task succeeded and FAILED when all finished and any failed (the original says COMPLETED
 * in both cases). A task that {@link TaskExecutionEnds} failed stays FAILED.
 *
 * <p>Requests for the same parent that arrive while a roll-up of it runs in this process share the next one: a
 * caller returns once a roll-up that started after its request has been written, so no status change is missed,
 * yet a burst of N changes costs far fewer than N queries.
 */
public final class RollUp {

    public static final String BEAN = "taskRollUp";

    private static final ObjectMapper JSON = Jackson.MAPPER;

    private final TaskService service;
    private final Map<TaskKeys, Turn> turns = new ConcurrentHashMap<>();

    public RollUp(TaskService service) {
        this.service = service;
    }

    /** The sub-task status queue's message: {"action","table","pk","sk",...} of the sub-task that changed. */
    public void onSubTaskChange(JsonNode message) throws InterruptedException {
        request(new TaskKeys(message.path("pk").asText(), message.path("sk").asText()));
    }

    /** Rolls up the parent of this sub-task; returns when a roll-up covering this request is written. */
    public void request(TaskKeys subTask) throws InterruptedException {
        TaskKeys parent = subTask.parent();
        Turn turn = turns.computeIfAbsent(parent, k -> new Turn());
        long ticket;
        synchronized (turn) {
            ticket = ++turn.requested;
        }
        while (true) {
            long covers;
            synchronized (turn) {
                while (turn.running && turn.covered < ticket) {
                    turn.wait();
                }
                if (turn.covered >= ticket) {
                    break;
                }
                turn.running = true;
                covers = turn.requested;
            }
            boolean written = false;
            try {
                rollUp(parent);
                written = true;
            } finally {
                synchronized (turn) {
                    turn.running = false;
                    if (written) {
                        turn.covered = covers;
                    }
                    turn.notifyAll();
                }
            }
        }
        synchronized (turn) {
            // a request that still took the removed turn only costs a roll-up of its own (the write is conditional)
            if (!turn.running && turn.covered >= turn.requested) {
                turns.remove(parent, turn);
            }
        }
    }

    private void rollUp(TaskKeys parent) {
        while (true) {
            JsonNode task = service.store().rollupState(parent).orElse(null);
            if (task == null) {
                return;
            }
            long version = task.path("rollupVersion").asLong(0);
            List<ObjectNode> subTasks = service.store().subTaskStatuses(parent);
            int succeeded = 0;
            int failed = 0;
            int running = 0;
            ObjectNode counts = JSON.createObjectNode();
            ArrayNode list = JSON.createArrayNode();
            for (ObjectNode subTask : subTasks) {
                String status = subTask.path("status").asText();
                succeeded += TaskStatus.COMPLETED.name().equals(status) ? 1 : 0;
                failed += TaskStatus.FAILED.name().equals(status) ? 1 : 0;
                running += TaskStatus.PROCESSING.name().equals(status) ? 1 : 0;
                list.addObject().put("pk", subTask.path("pk").asText()).put("sk", subTask.path("sk").asText())
                        .put("status", status);
            }
            int count = subTasks.size();
            counts.put("subTaskCount", (long) count).put("subTaskSucceedCount", (long) succeeded)
                    .put("subTaskFailedCount", (long) failed).put("subTaskRunningCount", (long) running);
            counts.set("subTasks", list);
            // a task whose execution ended abnormally stays FAILED; its counts still follow late sub-tasks
            TaskStatus status = task.path("attributes").has("executionStatus") ? TaskStatus.FAILED
                    : succeeded + failed < count ? TaskStatus.PROCESSING
                    : failed > 0 ? TaskStatus.FAILED : TaskStatus.COMPLETED;
            if (unchanged(task, status, counts)) {
                return;
            }
            if (service.store().writeRollup(parent, version, status, counts)) {
                service.notifier().notify(TaskService.TASK_STATUS, service.store().table(), parent.pk(), parent.sk(),
                        TaskService.content(status, counts));
                return;
            }
        }
    }

    /** Sub-tasks only move forward (CREATED, PROCESSING, finished): equal counts mean that none has changed. */
    private static boolean unchanged(JsonNode task, TaskStatus status, ObjectNode counts) {
        JsonNode attributes = task.path("attributes");
        if (!status.name().equals(task.path("status").asText())) {
            return false;
        }
        for (var fields = counts.fields(); fields.hasNext(); ) {
            var field = fields.next();
            if (!field.getKey().equals("subTasks") && !field.getValue().equals(attributes.path(field.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** The roll-up state of one parent in this process. */
    private static final class Turn {
        long requested;
        long covered;
        boolean running;
    }
}
