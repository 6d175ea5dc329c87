package io.cqrsworkers.localaws.stepfunctions.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.core.Json;
import io.cqrsworkers.localaws.stepfunctions.integrations.Attempt;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One attempt of a Task state: whichever comes first of its result, its failure, a timeout, a missed heartbeat
 * or the end of the execution settles it; everything after that is ignored.
 */
public final class TaskAttempt implements Attempt {
    final StateRun run;
    private final String resourceType;
    private final String resource;
    private final boolean activity;
    private final long heartbeatMillis;
    private final AtomicBoolean settled = new AtomicBoolean();
    private volatile String token;
    private volatile Timers.Timer timeout;
    private volatile Timers.Timer heartbeat;

    /**
     * @param timeoutMillis time left until States.Timeout, 0 for none
     * @param heartbeatMillis HeartbeatSeconds in millis, 0 for none; {@code firstBeatMillis} the time left for the first
     */
    TaskAttempt(StateRun run, String resourceType, String resource, boolean activity, long timeoutMillis,
                long heartbeatMillis, long firstBeatMillis) {
        this.run = run;
        this.resourceType = resourceType;
        this.resource = resource;
        this.activity = activity;
        this.heartbeatMillis = heartbeatMillis;
        Timers timers = run.flow.engine.timers();
        if (timeoutMillis > 0) {
            timeout = timers.after(timeoutMillis, () -> timedOut("States.Timeout"));
        }
        if (heartbeatMillis > 0) {
            heartbeat = timers.after(firstBeatMillis, () -> timedOut("States.HeartbeatTimeout"));
        }
        run.execution().openTasks.add(this);
    }

    public StateRun run() {
        return run;
    }

    /** Makes the attempt reachable through its task token. */
    public void parkOn(String token) {
        this.token = token;
        run.flow.engine.tokens().register(token, this);
    }

    public boolean isSettled() {
        return settled.get();
    }

    /** The request was handed to the service and we now wait for its callback (.waitForTaskToken, .sync). */
    public void submitted(JsonNode response) {
        if (!settled.get()) {
            ObjectNode d = details();
            d.put("output", Json.write(response));
            d.set("outputDetails", Json.object().put("truncated", false));
            run.event("TaskSubmitted", "taskSubmittedEventDetails", d);
        }
    }

    @Override
    public void succeed(JsonNode output) {
        if (settle()) {
            ObjectNode d = activity ? Json.object() : details();
            d.put("output", Json.write(output));
            d.set("outputDetails", Json.object().put("truncated", false));
            run.event(activity ? "ActivitySucceeded" : "TaskSucceeded", activity ? "activitySucceededEventDetails" : "taskSucceededEventDetails", d);
            run.flow.engine.submit(() -> run.guarded(() -> run.succeed(output)));
        }
    }

    @Override
    public void fail(String error, String cause) {
        if (settle()) {
            ObjectNode d = activity ? Json.object() : details();
            Engine.putErrorCause(d, error, cause);
            run.event(activity ? "ActivityFailed" : "TaskFailed", activity ? "activityFailedEventDetails" : "taskFailedEventDetails", d);
            run.flow.engine.submit(() -> run.fail(error, cause));
        }
    }

    /** SendTaskHeartbeat: pushes the heartbeat deadline out again. */
    public void heartbeat() {
        Timers.Timer h = heartbeat;
        if (h != null && !settled.get()) {
            run.flow.mark(Recovery.HEARTBEAT, Json.object());
            h.cancel();
            heartbeat = run.flow.engine.timers().after(heartbeatMillis, () -> timedOut("States.HeartbeatTimeout"));
        }
    }

    private void timedOut(String error) {
        if (settle()) {
            ObjectNode d = activity ? Json.object() : details();
            d.put("error", error);
            run.event(activity ? "ActivityTimedOut" : "TaskTimedOut", activity ? "activityTimedOutEventDetails" : "taskTimedOutEventDetails", d);
            run.fail(error, null);
        }
    }

    /** The execution ended while this attempt was open. */
    void abandon() {
        settle();
    }

    private boolean settle() {
        if (!settled.compareAndSet(false, true)) {
            return false;
        }
        if (timeout != null) {
            timeout.cancel();
        }
        if (heartbeat != null) {
            heartbeat.cancel();
        }
        run.flow.engine.tokens().release(token);
        run.execution().openTasks.remove(this);
        return true;
    }

    private ObjectNode details() {
        ObjectNode d = Json.object();
        d.put("resourceType", resourceType);
        d.put("resource", resource);
        return d;
    }
}
