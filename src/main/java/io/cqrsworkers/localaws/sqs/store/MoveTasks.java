package io.cqrsworkers.localaws.sqs.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The message move tasks of one account and region, and their runner: every {@value #TICK_MS} ms each active task
 * moves what its rate allows. A move is one journal line (removed from the source, added to the destination), so a
 * crash loses no message and repeats none; a task still running when the emulator stops goes on after a restart.
 */
public final class MoveTasks {

    private static final Logger LOG = LoggerFactory.getLogger(MoveTasks.class);
    static final long TICK_MS = 100;
    /** Moves per tick of a task without MaxNumberOfMessagesPerSecond. */
    private static final int UNLIMITED_PER_TICK = 500;
    /** ListMessageMoveTasks answers at most the ten most recent tasks of a source. */
    private static final int KEPT_PER_SOURCE = 10;
    public static final String NON_EXISTENT_QUEUE = "AWS.SimpleQueueService.NonExistentQueue";

    private final Queues queues;
    private final Map<String, MoveTask> byId = new LinkedHashMap<>();
    private ScheduledFuture<?> ticker;

    MoveTasks(Queues queues) {
        this.queues = queues;
    }

    /** Starts a task over every message now in {@code source}; the caller has checked the request. */
    public synchronized MoveTask start(Queue source, String destinationArn, Integer maxPerSecond) {
        for (MoveTask t : byId.values()) {
            if (t.sourceArn().equals(source.arn()) && t.active()) {
                throw SqsException.invalidParameter("There is already a task running. Only one active task is "
                        + "allowed for a source queue arn at a given time.");
            }
        }
        LinkedHashSet<String> ids = new LinkedHashSet<>(source.messageIdsInArrivalOrder());
        MoveTask task = new MoveTask(UUID.randomUUID().toString(), source.arn(), destinationArn, maxPerSecond,
                queues.now(), ids, ids.size());
        task.lastTickMillis = queues.now();
        byId.put(task.id(), task);
        forget(source.arn());
        queues.changes().moveTaskChanged(task, true);
        schedule();
        return task;
    }

    /** Asks a running task to stop; it is CANCELLING until the runner's next tick makes it CANCELLED. */
    public synchronized MoveTask cancel(String taskId) {
        MoveTask task = byId.get(taskId);
        if (task == null) {
            throw SqsException.resourceNotFound("Task does not exist.");
        }
        if (task.status() != MoveTask.Status.RUNNING) {
            throw SqsException.unsupportedOperation("Only a task with status RUNNING can be cancelled; this one is "
                    + task.status() + ".");
        }
        task.status = MoveTask.Status.CANCELLING;
        queues.changes().moveTaskChanged(task, false);
        return task.copy();
    }

    /** The most recent tasks of a source, newest first (copies). */
    public synchronized List<MoveTask> list(String sourceArn, int max) {
        List<MoveTask> out = new ArrayList<>();
        for (MoveTask t : byId.values()) {
            if (t.sourceArn().equals(sourceArn)) {
                out.add(t.copy());
            }
        }
        out.sort(Comparator.comparingLong(MoveTask::startedMillis).reversed());
        return out.size() > max ? out.subList(0, max) : out;
    }

    /** Runs {@code action} while no task moves a message. */
    public synchronized void locked(Runnable action) {
        action.run();
    }

    /** Visits every task under this object's lock, so a snapshot line agrees with the moves journaled so far. */
    public synchronized void forEach(java.util.function.Consumer<MoveTask> visitor) {
        byId.values().forEach(visitor);
    }

    private void forget(String sourceArn) {
        List<MoveTask> ofSource = byId.values().stream().filter(t -> t.sourceArn().equals(sourceArn))
                .sorted(Comparator.comparingLong(MoveTask::startedMillis)).toList();
        for (int i = 0; i < ofSource.size() - KEPT_PER_SOURCE; i++) {
            if (!ofSource.get(i).active()) {
                byId.remove(ofSource.get(i).id());
            }
        }
    }

    private void schedule() {
        if (ticker == null || ticker.isDone()) {
            ticker = queues.scheduler().scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        }
    }

    // ---- the runner

    private synchronized void tick() {
        try {
            boolean anyActive = false;
            for (MoveTask task : byId.values()) {
                if (task.active()) {
                    step(task);
                    anyActive |= task.active();
                }
            }
            if (!anyActive && ticker != null) {
                ticker.cancel(false);
                ticker = null;
            }
        } catch (RuntimeException e) {
            LOG.warn("Message move tasks: a tick failed; trying again", e);
        }
    }

    private void step(MoveTask task) {
        if (task.status == MoveTask.Status.CANCELLING) {
            end(task, MoveTask.Status.CANCELLED, null);
            return;
        }
        Queue source = queues.byArn(task.sourceArn());
        if (source == null) {
            end(task, MoveTask.Status.FAILED, NON_EXISTENT_QUEUE);
            return;
        }
        long now = queues.now();
        int budget;
        if (task.maxPerSecond() == null) {
            budget = UNLIMITED_PER_TICK;
        } else {
            // at most a second's worth saved up, so a stalled runner does not burst past the rate
            task.allowance = Math.min(task.maxPerSecond(),
                    task.allowance + task.maxPerSecond() * (now - task.lastTickMillis) / 1000.0);
            budget = (int) task.allowance;
        }
        task.lastTickMillis = now;
        // each message is looked at once per tick: one in flight (or delayed) is tried again next tick
        List<String> pass = new ArrayList<>(task.remaining);
        for (String id : pass) {
            if (budget <= 0) {
                break;
            }
            Message m = source.visibleMessage(id);
            if (m == null) {
                if (!source.holds(id)) {
                    task.remaining.remove(id); // deleted (or expired) meanwhile: nothing to move
                }
                continue;
            }
            String targetArn = task.destinationArn() != null ? task.destinationArn() : m.deadLetterSourceArn();
            Queue target = targetArn == null ? null : queues.byArn(targetArn);
            if (target == null) {
                end(task, MoveTask.Status.FAILED, NON_EXISTENT_QUEUE);
                return;
            }
            if (!source.removeForMove(m)) {
                continue; // received meanwhile
            }
            if (!target.acceptRedriven(source, m, task.id())) {
                source.restore(m); // the target was deleted in between; nothing was journaled
                end(task, MoveTask.Status.FAILED, NON_EXISTENT_QUEUE);
                return;
            }
            moved(task, m.id());
            budget--;
            if (task.maxPerSecond() != null) {
                task.allowance--;
            }
        }
        if (task.remaining.isEmpty()) {
            end(task, MoveTask.Status.COMPLETED, null);
        }
    }

    /** Counts a move once, however often its journal line is replayed (over a snapshot that has it already). */
    private static void moved(MoveTask task, String messageId) {
        if (task.remaining.remove(messageId)) {
            task.moved++;
        }
    }

    private void end(MoveTask task, MoveTask.Status status, String failure) {
        task.status = status;
        task.failureReason = failure;
        task.remaining.clear();
        queues.changes().moveTaskChanged(task, false);
        if (failure != null) {
            LOG.warn("Message move task {} from {} failed after {} of {} messages: {}", task.id(), task.sourceArn(),
                    task.moved, task.toMove(), failure);
        }
    }

    // ---- restore from a data directory

    /** Puts back a task line; without {@code remaining} the ids kept so far stay. */
    public synchronized void restore(String id, String sourceArn, String destinationArn, Integer maxPerSecond,
                                     long startedMillis, long toMove, MoveTask.Status status, long moved,
                                     String failureReason, List<String> remaining) {
        MoveTask task = byId.get(id);
        if (task == null || remaining != null) {
            task = new MoveTask(id, sourceArn, destinationArn, maxPerSecond, startedMillis,
                    new LinkedHashSet<>(remaining == null ? List.of() : remaining), toMove);
            byId.put(id, task);
        }
        task.status = status;
        task.moved = moved;
        task.failureReason = failureReason;
        if (!task.active()) {
            task.remaining.clear();
        }
    }

    /** Replays a journaled move of {@code messageId} by task {@code taskId}. */
    public synchronized void restoreMoved(String taskId, String messageId) {
        MoveTask task = byId.get(taskId);
        if (task != null) {
            moved(task, messageId);
        }
    }

    /** After a restart: a task that was being cancelled is cancelled, running ones go on. */
    public synchronized void resume() {
        boolean running = false;
        for (MoveTask task : byId.values()) {
            if (task.status == MoveTask.Status.CANCELLING) {
                end(task, MoveTask.Status.CANCELLED, null);
            } else if (task.status == MoveTask.Status.RUNNING) {
                task.lastTickMillis = queues.now();
                running = true;
            }
        }
        if (running) {
            schedule();
        }
    }

    public synchronized void stop() {
        if (ticker != null) {
            ticker.cancel(false);
            ticker = null;
        }
    }
}
