package io.cqrsworkers.localaws.stepfunctions.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.core.Json;
import io.cqrsworkers.localaws.stepfunctions.core.SfnException;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Activities: named queues of task attempts that workers take with GetActivityTask (long poll). */
public final class Activities {
    /** What GetActivityTask hands a worker; null fields mean "no task within the poll time". */
    public record ActivityTask(String taskToken, String input) {
    }

    public static final class Activity {
        public final String arn;
        public final String name;
        public final long creationMillis;
        private final Deque<ActivityTask> pending = new ArrayDeque<>();
        private final Map<String, TaskAttempt> attempts = new ConcurrentHashMap<>();
        private final Deque<Poller> pollers = new ArrayDeque<>();

        Activity(String arn, String name, long creationMillis) {
            this.arn = arn;
            this.name = name;
            this.creationMillis = creationMillis;
        }
    }

    private record Poller(CompletableFuture<ActivityTask> future, String workerName) {
    }

    private static final ActivityTask NONE = new ActivityTask(null, null);
    private final Engine engine;
    private final Map<String, Activity> activities = new ConcurrentHashMap<>();

    Activities(Engine engine) {
        this.engine = engine;
    }

    public Activity create(String name) {
        String arn = engine.arns().activity(name);
        return activities.computeIfAbsent(arn, a -> new Activity(a, name, engine.clock().millis()));
    }

    public Activity get(String arn) {
        engine.arns().require(arn, "activity");
        Activity a = activities.get(arn);
        if (a == null) {
            throw new SfnException("ActivityDoesNotExist", "Activity Does Not Exist: '" + arn + "'");
        }
        return a;
    }

    public void delete(String arn) {
        engine.arns().require(arn, "activity");
        activities.remove(arn);
    }

    public Collection<Activity> all() {
        return activities.values();
    }

    void schedule(String activityArn, JsonNode input, StateRun run, Long timeout, Long heartbeat) {
        Activity a = activities.get(activityArn);
        if (a == null) {
            run.fail("States.Runtime", "Activity Does Not Exist: '" + activityArn + "'");
            return;
        }
        String inputText = Json.write(input);
        ObjectNode d = Json.object();
        d.put("resource", activityArn);
        d.put("input", inputText);
        d.set("inputDetails", Json.object().put("truncated", false));
        if (timeout != null) {
            d.put("timeoutInSeconds", timeout);
        }
        if (heartbeat != null) {
            d.put("heartbeatInSeconds", heartbeat);
        }
        run.event("ActivityScheduled", "activityScheduledEventDetails", d);
        if (run.flow.cancelled()) {
            return; // the execution ended meanwhile: no worker gets the task
        }
        TaskAttempt attempt = new TaskAttempt(run, "activity", activityArn, true, engine.tasks().millis(timeout), engine.tasks().millis(heartbeat), engine.tasks().millis(heartbeat));
        String token = run.taskToken();
        attempt.parkOn(token);
        a.attempts.put(token, attempt);
        ActivityTask task = new ActivityTask(token, inputText);
        Poller p;
        synchronized (a) {
            p = a.pollers.poll();
            if (p == null) {
                a.pending.add(task);
                return;
            }
        }
        hand(a, task, p);
    }

    /** Long poll: completes with a task, or with an empty one after 60 seconds, as AWS does. */
    public CompletableFuture<ActivityTask> poll(Activity a, String workerName) {
        CompletableFuture<ActivityTask> f = new CompletableFuture<>();
        Poller p = new Poller(f, workerName);
        ActivityTask task;
        synchronized (a) {
            task = a.pending.poll();
            if (task == null) {
                a.pollers.add(p);
            }
        }
        if (task != null) {
            hand(a, task, p);
        } else {
            f.completeOnTimeout(NONE, 60, TimeUnit.SECONDS).thenRun(() -> {
                synchronized (a) {
                    a.pollers.remove(p);
                }
            });
        }
        return f;
    }

    private void hand(Activity a, ActivityTask task, Poller p) {
        TaskAttempt attempt = a.attempts.remove(task.taskToken());
        if (attempt == null || attempt.isSettled()) {
            poll(a, p.workerName()).thenAccept(p.future()::complete);
            return;
        }
        engine.flushJournal(); // the worker sees the task: its scheduled entry must be durable
        if (!p.future().complete(task)) {
            synchronized (a) {
                a.pending.addFirst(task);
            }
            a.attempts.put(task.taskToken(), attempt);
            return;
        }
        ObjectNode d = Json.object();
        if (p.workerName() != null) {
            d.put("workerName", p.workerName());
        }
        attempt.run.event("ActivityStarted", "activityStartedEventDetails", d);
    }

    void close() {
        activities.values().forEach(a -> {
            synchronized (a) {
                a.pollers.forEach(p -> p.future().complete(NONE));
                a.pollers.clear();
            }
        });
    }
}
