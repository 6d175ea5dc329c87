package io.cqrsworkers.localaws.stepfunctions.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.core.Json;
import io.cqrsworkers.localaws.stepfunctions.asl.StateGraph;

import java.util.Map;
import java.util.function.Consumer;

/**
 * One thread of control through a {@link StateGraph}: the machine itself, a Parallel branch or a Map iteration.
 * It is not a Java thread: each state runs as a task on the worker pool, and a parked flow is just a reference
 * held by a timer or a task token.
 */
public final class Flow {
    final Engine engine;
    final Execution execution;
    /**
     * Names this flow in the execution's log: "" for the machine, {@code <parent>/<fan-out event id>.<index>} for
     * a branch or iteration. Stable across a restart, so each flow finds its own entries again.
     */
    final String id;
    final StateGraph graph;
    final Flow parent;
    /** Set when a sibling failed: the enclosing Parallel/Map stops this flow. */
    private volatile boolean aborted;
    /** $$.Map.Item of a Map iteration, else null. */
    final ObjectNode mapItem;
    /** Variables visible here; replaced (copy on write) on every Assign so branches share snapshots safely. */
    volatile Map<String, JsonNode> variables;
    private volatile long lastEventId;
    private final Consumer<Outcome> onDone;

    Flow(Engine engine, Execution execution, String id, StateGraph graph, Flow parent, ObjectNode mapItem,
         Map<String, JsonNode> variables, long lastEventId, Consumer<Outcome> onDone) {
        this.engine = engine;
        this.execution = execution;
        this.id = id;
        this.graph = graph;
        this.parent = parent;
        this.mapItem = mapItem;
        this.variables = variables;
        this.lastEventId = lastEventId;
        this.onDone = onDone;
    }

    /**
     * Child {@code index} (branch or iteration) of the fan-out whose start event is {@code fanOutEventId}; it sees
     * this flow's variables.
     */
    Flow child(long fanOutEventId, int index, StateGraph body, ObjectNode item, long previousEventId, Consumer<Outcome> done) {
        return new Flow(engine, execution, childId(fanOutEventId, index), body, this, item, variables, previousEventId, done);
    }

    String childId(long fanOutEventId, int index) {
        return id + "/" + fanOutEventId + "." + index;
    }

    public void start(JsonNode input) {
        enter(graph.startAt, input);
    }

    /**
     * Moves to {@code stateName}. On a worker thread the next state runs right away (up to a bounded depth of
     * nested calls) instead of going through the pool queue: a chain of quick states costs no hand-offs.
     */
    void enter(String stateName, JsonNode input) {
        if (engine.runInline()) {
            try {
                run(stateName, input);
            } finally {
                engine.leftInline();
            }
        } else {
            engine.submit(() -> run(stateName, input));
        }
    }

    private void run(String stateName, JsonNode input) {
        if (!cancelled()) {
            new StateRun(this, graph.state(stateName), input).begin();
        }
    }

    boolean cancelled() {
        return aborted || !execution.isRunning() || (parent != null && parent.cancelled());
    }

    void abort() {
        aborted = true;
    }

    long event(String type, String detailsKey, ObjectNode details) {
        return event(type, detailsKey, details, null);
    }

    /**
     * Appends an event; {@code details} is an ObjectNode or {@link History.Details}; {@code resume} (an ObjectNode,
     * or the name of the next state) is kept in the log beside it for a restart, never shown by the API.
     */
    long event(String type, String detailsKey, Object details, Object resume) {
        long eventId;
        synchronized (this) {
            eventId = execution.history.addWithin(engine.historyLimitOf(execution), engine.clock().millis(), type,
                    lastEventId, detailsKey, details, id, resume);
            if (eventId != History.FULL) {
                lastEventId = eventId;
                return eventId;
            }
        }
        // the history is full: the execution fails with AWS's history-limit error, and this flow stops with it
        engine.historyFull(execution);
        return lastEventId;
    }

    /** Appends a marker of the engine's own (see {@link Recovery}). */
    void mark(String marker, ObjectNode data) {
        execution.history.mark(id, marker, data.put("at", engine.clock().millis()));
    }

    long lastEventId() {
        return lastEventId;
    }

    void restoreLastEventId(long id) {
        lastEventId = id;
    }

    void done(Outcome outcome) {
        if (!cancelled()) {
            if (outcome.failed() && parent != null) {
                // a branch's failure shows in no event of its own: the marker tells a restart how it ended
                mark(Recovery.FAILED, Json.object().put("error", outcome.error()).put("cause", outcome.cause()));
            }
            onDone.accept(outcome);
        }
    }

    /** Reports an outcome already in the log (after a restart) to whoever waits for this flow. */
    void report(Outcome outcome) {
        if (!cancelled()) {
            onDone.accept(outcome);
        }
    }
}
