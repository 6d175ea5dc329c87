package io.cqrsworkers.localaws.stepfunctions.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.core.Json;
import io.cqrsworkers.localaws.stepfunctions.asl.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Resumes a running execution from its log after a restart, flow by flow: the machine, then every branch and
 * iteration that was running inside a Parallel or Map (a distributed map's children are executions of their own and
 * resume as such). A flow's entries give the state it is in, its input, its variables and what its current attempt
 * had done; the state then goes on from there:
 * <ul>
 *   <li>between two states: it enters the next one (the transition taken is kept beside the exit event);</li>
 *   <li>a task parked on a task token waits again on the same token, for what is left of its timeout and heartbeat;
 *       a {@code .sync} task waits again for its child execution;</li>
 *   <li>a task whose result had arrived goes on with that result (success, failure, timeout): Retry and Catch then
 *       decide as they would have, with the retry counters of before;</li>
 *   <li>a retry that was scheduled runs at its time;</li>
 *   <li>a task whose request was in flight is sent again with the same task token (at least once: the message may
 *       have been sent before the stop; its callback settles the new attempt, the duplicate's callback finds the
 *       token closed);</li>
 *   <li>Parallel and Map keep the results of their finished children and resume the running ones;</li>
 *   <li>any other state (Pass, Choice, Wait, ...) runs again from its input; a Wait counts from its original entry.</li>
 * </ul>
 */
final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);
    /** Marker: a branch or iteration failed ({@code error}, {@code cause}). */
    static final String FAILED = "failed";
    /** Marker: a retry of the state is due at {@code due}, by retrier {@code retrier}. */
    static final String RETRY = "retry";
    /** Marker: SendTaskHeartbeat arrived at {@code at}. */
    static final String HEARTBEAT = "heartbeat";
    /** Beside a StateExited event: the state the flow went on to. */
    static final String NEXT = "next";
    /** Beside a TaskScheduled event: the task token of the attempt. */
    static final String TOKEN = "token";

    private final Engine engine;
    private final Execution execution;
    private final Map<String, List<History.Entry>> byFlow = new HashMap<>();

    private Recovery(Engine engine, Execution execution) {
        this.engine = engine;
        this.execution = execution;
        for (History.Entry e : execution.history.entries()) {
            byFlow.computeIfAbsent(e.flow(), k -> new ArrayList<>()).add(e.parsed());
        }
    }

    /** Puts a running execution back to work; call on a worker thread. */
    static void resume(Engine engine, Execution e) {
        new Recovery(engine, e).resumeRoot();
    }

    private void resumeRoot() {
        List<History.Entry> root = byFlow.getOrDefault("", List.of());
        if (!root.isEmpty()) {
            History.Entry last = root.get(root.size() - 1);
            if (last.isEvent() && last.type().startsWith("Execution") && !last.type().equals("ExecutionStarted")) {
                // it had ended, only the end line was missing
                engine.endFromEvent(execution, last.event());
                return;
            }
        }
        resumeFlow(engine.rootFlow(execution, Map.of(), 0), execution.input());
        LOG.debug("resumed {}", execution.arn);
    }

    /** Puts {@code flow} back where its entries say it was; {@code input} is what it started with. */
    void resumeFlow(Flow flow, JsonNode input) {
        List<History.Entry> own = byFlow.getOrDefault(flow.id, List.of());
        Map<String, JsonNode> variables = new HashMap<>(flow.variables);
        int entered = -1;
        long lastEventId = flow.lastEventId();
        for (int i = 0; i < own.size(); i++) {
            History.Entry e = own.get(i);
            if (!e.isEvent()) {
                continue;
            }
            lastEventId = e.eventId();
            if (e.type().endsWith("StateEntered")) {
                entered = i;
            } else if (e.type().endsWith("StateExited")) {
                JsonNode assigned = e.event().path("stateExitedEventDetails").path("assignedVariables");
                for (Iterator<Map.Entry<String, JsonNode>> it = assigned.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> a = it.next();
                    variables.put(a.getKey(), parse(a.getValue().asText()));
                }
            }
        }
        flow.variables = variables;
        flow.restoreLastEventId(lastEventId);
        if (entered < 0) {
            flow.start(input);
            return;
        }
        Outcome ended = outcome(own);
        if (ended != null) {
            flow.report(ended);
            return;
        }
        History.Entry last = own.get(own.size() - 1);
        if (last.type().endsWith("StateExited")) {
            flow.enter(last.data().path(NEXT).asText(), output(last));
            return;
        }
        ObjectNode details = own.get(entered).event().path("stateEnteredEventDetails").deepCopy();
        State state = flow.graph.state(details.path("name").asText());
        StateRun run = new StateRun(flow, state, parse(details.path("input").asText()), own.get(entered).millis());
        run.enteredAt(own.get(entered).eventId());
        resumeState(run, own.subList(entered + 1, own.size()));
    }

    /** How a flow ended according to its entries, or null while it runs. */
    Outcome outcome(String flowId) {
        return outcome(byFlow.getOrDefault(flowId, List.of()));
    }

    private static Outcome outcome(List<History.Entry> own) {
        if (own.isEmpty()) {
            return null;
        }
        History.Entry last = own.get(own.size() - 1);
        if (FAILED.equals(last.marker())) {
            return Outcome.failure(last.data().path("error").asText(null), last.data().path("cause").asText(null));
        }
        if (last.isEvent() && last.type().endsWith("StateExited") && (last.data() == null || !last.data().has(NEXT))) {
            return Outcome.success(output(last));
        }
        return null;
    }

    private void resumeState(StateRun run, List<History.Entry> tail) {
        int lastRetry = -1;
        for (int i = 0; i < tail.size(); i++) {
            History.Entry e = tail.get(i);
            if (RETRY.equals(e.marker())) {
                run.retried(e.data().path("retrier").asInt());
                lastRetry = i;
            }
        }
        List<History.Entry> attempt = tail.subList(lastRetry + 1, tail.size());
        if (attempt.isEmpty()) {
            if (lastRetry >= 0) {
                run.retryAt(tail.get(lastRetry).data().path("due").asLong());
            } else {
                run.attempt();
            }
            return;
        }
        History.Entry scheduled = null;
        History.Entry settled = null;
        boolean submitted = false;
        long lastHeartbeat = 0;
        for (History.Entry e : attempt) {
            switch (e.type()) {
                case "TaskScheduled", "ActivityScheduled" -> {
                    scheduled = e;
                    submitted = false;
                    settled = null;
                }
                case "TaskSubmitted" -> submitted = true;
                case HEARTBEAT -> lastHeartbeat = e.millis();
                case "TaskSucceeded", "TaskFailed", "TaskTimedOut", "ActivitySucceeded", "ActivityFailed",
                     "ActivityTimedOut", "MapRunSucceeded", "MapRunFailed", "MapStateFailed", "ParallelStateFailed" -> settled = e;
                default -> {
                }
            }
        }
        if (settled != null) {
            settle(run, settled);
        } else if (scheduled != null && submitted) {
            engine.tasks().resumeSubmitted(run, scheduled, attempt, lastHeartbeat);
        } else if (scheduled != null) {
            run.reuseToken(scheduled.data() == null ? null : scheduled.data().path(TOKEN).asText(null));
            run.attempt();
        } else {
            run.resume(new Resumption(this, run, attempt));
        }
    }

    /** The attempt had its result before the stop: go on with it. */
    private static void settle(StateRun run, History.Entry e) {
        String type = e.type();
        if (type.endsWith("Succeeded")) {
            JsonNode out = type.equals("MapRunSucceeded") ? e.data().get("output")
                    : parse(e.event().path(detailsKey(type)).path("output").asText());
            run.guarded(() -> run.succeed(out));
            return;
        }
        JsonNode d = type.endsWith("StateFailed") ? e.data() : e.event().path(detailsKey(type));
        run.fail(d.path("error").asText(null), d.path("cause").asText(null));
    }

    private static String detailsKey(String type) {
        return Character.toLowerCase(type.charAt(0)) + type.substring(1) + "EventDetails";
    }

    private static JsonNode output(History.Entry exited) {
        return parse(exited.event().path("stateExitedEventDetails").path("output").asText());
    }

    static JsonNode parse(String text) {
        try {
            return Json.parse(text);
        } catch (Exception ex) {
            return Json.NODES.textNode(text);
        }
    }
}
