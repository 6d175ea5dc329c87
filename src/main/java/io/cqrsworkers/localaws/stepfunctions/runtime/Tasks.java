package io.cqrsworkers.localaws.stepfunctions.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.Json;
import io.cqrsworkers.localaws.stepfunctions.asl.QueryLanguage;
import io.cqrsworkers.localaws.stepfunctions.asl.TaskState;
import io.cqrsworkers.localaws.stepfunctions.data.StatesError;
import io.cqrsworkers.localaws.stepfunctions.integrations.Integration;

/** Runs Task states: resolves the resource, computes arguments and timeouts, calls the integration. */
public final class Tasks {
    private static final String SERVICE_PREFIX = "arn:aws:states:::";

    private final Engine engine;

    Tasks(Engine engine) {
        this.engine = engine;
    }

    public void run(TaskState task, StateRun run) {
        String res = task.resource;
        if (res.contains(":activity:")) {
            Long timeout = seconds(run, task.timeoutSeconds, task.timeoutSecondsPath, "TimeoutSeconds");
            Long heartbeat = seconds(run, task.heartbeatSeconds, task.heartbeatSecondsPath, "HeartbeatSeconds");
            engine.activities().schedule(res, arguments(task, run), run, timeout, heartbeat);
            return;
        }
        Integration integration = null;
        String service = null;
        String action = null;
        String pattern = "";
        if (res.startsWith(SERVICE_PREFIX)) {
            String rest = res.substring(SERVICE_PREFIX.length());
            int colon = rest.indexOf(':');
            if (colon > 0) {
                service = rest.substring(0, colon);
                action = rest.substring(colon + 1);
                int dot = action.indexOf('.');
                if (dot > 0) {
                    pattern = action.substring(dot + 1);
                    action = action.substring(0, dot);
                }
                integration = engine.integrations().get(service);
            }
        }
        if (integration == null || !(pattern.isEmpty() || pattern.equals("waitForTaskToken") || pattern.startsWith("sync"))) {
            run.fail("States.Runtime", "The resource '" + res + "' is not available in the local Step Functions engine."
                    + " Available integrations: " + engine.integrations().names() + ", and activities");
            return;
        }
        boolean waitForToken = pattern.equals("waitForTaskToken");
        if (waitForToken) {
            run.taskToken();
        }
        JsonNode args = arguments(task, run);
        Long timeout = seconds(run, task.timeoutSeconds, task.timeoutSecondsPath, "TimeoutSeconds");
        Long heartbeat = seconds(run, task.heartbeatSeconds, task.heartbeatSecondsPath, "HeartbeatSeconds");
        String resource = action + (pattern.isEmpty() ? "" : "." + pattern);
        ObjectNode d = Json.object();
        d.put("resourceType", service);
        d.put("resource", resource);
        d.put("region", engine.region());
        d.put("parameters", Json.write(args));
        if (timeout != null) {
            d.put("timeoutInSeconds", timeout);
        }
        if (heartbeat != null) {
            d.put("heartbeatInSeconds", heartbeat);
        }
        run.event("TaskScheduled", "taskScheduledEventDetails", d, waitForToken ? Json.object().put(Recovery.TOKEN, run.taskToken()) : null);
        run.event("TaskStarted", "taskStartedEventDetails", Json.object().put("resourceType", service).put("resource", resource));
        TaskAttempt attempt = new TaskAttempt(run, service, resource, false, millis(timeout), millis(heartbeat), millis(heartbeat));
        if (waitForToken) {
            attempt.parkOn(run.taskToken());
        }
        JsonNode response;
        try {
            response = integration.call(action, args, attempt);
        } catch (StatesError e) {
            attempt.fail(e.error(), e.cause());
            return;
        }
        if (pattern.isEmpty()) {
            attempt.succeed(response);
        } else {
            attempt.submitted(response);
            if (!waitForToken) {
                integration.awaitCompletion(action, response, pattern.equals("sync:2"), attempt);
            }
        }
    }

    /**
     * After a restart: the task had been submitted and waited for its task token or its child execution. It waits
     * again, for what was left of its TimeoutSeconds and HeartbeatSeconds when the engine stopped.
     */
    void resumeSubmitted(StateRun run, History.Entry scheduled, java.util.List<History.Entry> attemptEntries, long lastHeartbeat) {
        JsonNode details = scheduled.event().path("taskScheduledEventDetails");
        long now = engine.clock().millis();
        long scheduledMillis = scheduled.millis();
        long timeout = 0;
        if (details.has("timeoutInSeconds")) {
            timeout = Math.max(1, scheduledMillis + details.get("timeoutInSeconds").asLong() * 1000 - now);
        }
        long heartbeat = details.path("heartbeatInSeconds").asLong(0) * 1000;
        long firstBeat = heartbeat == 0 ? 0 : Math.max(1, Math.max(scheduledMillis, lastHeartbeat) + heartbeat - now);
        String service = details.path("resourceType").asText();
        String resource = details.path("resource").asText();
        TaskAttempt attempt = new TaskAttempt(run, service, resource, false, timeout, heartbeat, firstBeat);
        String token = scheduled.data() == null ? null : scheduled.data().path(Recovery.TOKEN).asText(null);
        if (token != null) {
            run.restoreTaskToken(token);
            attempt.parkOn(token);
            return;
        }
        JsonNode response = Json.object();
        for (History.Entry e : attemptEntries) {
            if (e.type().equals("TaskSubmitted")) {
                response = Recovery.parse(e.event().path("taskSubmittedEventDetails").path("output").asText());
            }
        }
        int dot = resource.indexOf('.');
        Integration integration = engine.integrations().get(service);
        if (integration == null || dot < 0) {
            attempt.fail("States.Runtime", "The task '" + resource + "' cannot be resumed after a restart");
            return;
        }
        integration.awaitCompletion(resource.substring(0, dot), response, resource.endsWith(".sync:2"), attempt);
    }

    static long millis(Long seconds) {
        return seconds == null ? 0 : seconds * 1000;
    }

    private static JsonNode arguments(TaskState task, StateRun run) {
        JsonNode template = task.language == QueryLanguage.JSONATA ? task.arguments : task.parameters;
        JsonNode in = run.effectiveInput();
        return template == null ? in : run.payload(template, in);
    }

    private static Long seconds(StateRun run, JsonNode literal, String path, String field) {
        JsonNode v = path != null ? run.path(path, run.effectiveInput()) : literal == null ? null : run.value(literal, run.input());
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber() || v.asLong() < 1) {
            throw new StatesError("States.Runtime", "The value for the field '" + field + "' must be a positive integer, but was '" + v + "'");
        }
        return v.asLong();
    }
}
