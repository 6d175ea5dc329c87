package io.cqrsworkers.localaws.stepfunctions.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.core.Json;
import io.cqrsworkers.localaws.stepfunctions.asl.QueryLanguage;
import io.cqrsworkers.localaws.stepfunctions.asl.TaskState;
import io.cqrsworkers.localaws.stepfunctions.data.StatesError;
import io.cqrsworkers.localaws.stepfunctions.integrations.Integration;

import java.util.concurrent.atomic.AtomicInteger;

/** Runs Task states: resolves the resource, computes arguments and timeouts, calls the integration. */
public final class Tasks {
    private static final String SERVICE_PREFIX = "arn:aws:states:::";

    private final Engine engine;

    Tasks(Engine engine) {
        this.engine = engine;
    }

    public void run(TaskState task, StateRun run) {
        String res = task.resource;
        MockConfig.TestCase mock = run.execution().mock;
        if (mock != null && mock.mocks(task.name)) {
            runMocked(task, run, mock);
            return;
        }
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
        if (run.flow.cancelled()) {
            return; // the execution ended meanwhile (its history filled up, it was stopped): nothing is sent
        }
        TaskAttempt attempt = new TaskAttempt(run, service, resource, false, millis(timeout), millis(heartbeat), millis(heartbeat));
        if (waitForToken) {
            attempt.parkOn(run.taskToken());
        }
        JsonNode response;
        engine.flushJournal(); // the call is seen outside: the entries before it must be durable
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
     * A Task the execution's test case mocks: the call is answered from the mock configuration, no service is
     * reached. The history shows the task scheduled, started and settled with the mocked result or error; a
     * {@code .waitForTaskToken} task gets a token (for its Parameters) and is settled by the response, as in Step
     * Functions Local.
     */
    private void runMocked(TaskState task, StateRun run, MockConfig.TestCase mock) {
        if (task.resource.contains(":activity:")) {
            // Step Functions Local's words (recorded in aws-samples/aws-stepfunctions-examples#69)
            run.fail("States.Runtime", "Activity state cannot be mocked. Please remove mocks mapped for all activity state in the mock config file.");
            return;
        }
        String service = task.resource;
        String resource = task.resource;
        if (resource.startsWith(SERVICE_PREFIX) && resource.indexOf(':', SERVICE_PREFIX.length()) > 0) {
            int colon = resource.indexOf(':', SERVICE_PREFIX.length());
            service = resource.substring(SERVICE_PREFIX.length(), colon);
            resource = resource.substring(colon + 1);
        } else if (resource.startsWith("arn:aws:lambda:")) {
            service = "lambda";
        }
        if (resource.endsWith(".waitForTaskToken")) {
            run.taskToken();
        }
        JsonNode args = arguments(task, run);
        Long timeout = seconds(run, task.timeoutSeconds, task.timeoutSecondsPath, "TimeoutSeconds");
        Long heartbeat = seconds(run, task.heartbeatSeconds, task.heartbeatSecondsPath, "HeartbeatSeconds");
        int call = run.execution().mockCalls.computeIfAbsent(task.name, k -> new AtomicInteger()).getAndIncrement();
        MockConfig.Answer answer = mock.answer(task.name, call);
        if (!answer.configured()) {
            run.fail(answer.error(), answer.cause());
            return;
        }
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
        // the call's number beside the event: after a restart the next call takes the next response
        run.event("TaskScheduled", "taskScheduledEventDetails", d, Json.object().put(MOCK_STATE, task.name).put(MOCK_CALL, call));
        run.event("TaskStarted", "taskStartedEventDetails", Json.object().put("resourceType", service).put("resource", resource));
        TaskAttempt attempt = new TaskAttempt(run, service, resource, false, 0, 0, 0);
        if (answer.failed()) {
            attempt.fail(answer.error(), answer.cause());
        } else {
            attempt.succeed(answer.result());
        }
    }

    private static final String MOCK_STATE = "mockState";
    private static final String MOCK_CALL = "mockCall";

    /** After a restart: the mocked calls an execution had made, from the marks beside its TaskScheduled events. */
    static void restoreMockCalls(Execution e) {
        if (e.mock == null) {
            return;
        }
        for (History.Entry entry : e.history.entries()) {
            ObjectNode data = entry.data();
            if (data != null && data.has(MOCK_STATE)) {
                AtomicInteger calls = e.mockCalls.computeIfAbsent(data.get(MOCK_STATE).asText(), k -> new AtomicInteger());
                calls.accumulateAndGet(data.path(MOCK_CALL).asInt() + 1, Math::max);
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
            timeout = Math.max(1, scheduledMillis + engine.scaled(details.get("timeoutInSeconds").asLong() * 1000) - now);
        }
        long heartbeat = engine.scaled(details.path("heartbeatInSeconds").asLong(0) * 1000);
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

    /** TimeoutSeconds or HeartbeatSeconds as the timer waits: in milliseconds, after the engine's time scale; 0 for none. */
    long millis(Long seconds) {
        return seconds == null ? 0 : engine.scaled(seconds * 1000);
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
