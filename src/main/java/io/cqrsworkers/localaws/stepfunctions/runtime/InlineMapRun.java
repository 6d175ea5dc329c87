package io.cqrsworkers.localaws.stepfunctions.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.core.Json;
import io.cqrsworkers.localaws.stepfunctions.asl.MapState;
import io.cqrsworkers.localaws.stepfunctions.data.StatesError;

/** A running inline Map state: one child flow per item, inside this execution. */
public final class InlineMapRun extends FanOut {
    private final MapState state;
    private JsonNode items;
    private JsonNode mapInput;
    /** The id of this attempt's MapStateStarted event: it names the iterations' flows. */
    private long startedId;

    InlineMapRun(MapState state, StateRun run) {
        super(run);
        this.state = state;
    }

    void start() {
        mapInput = run.effectiveInput();
        try {
            items = MapItems.inline(state, run);
        } catch (StatesError e) {
            // AWS logs EvaluationFailed, then MapStateFailed (LocalStack's recorded test_map_state_items_eval_jsonata_fail)
            String cause = run.evaluationFailed(e.error(), e.cause());
            run.event("MapStateFailed", null, null);
            run.fail(e.error(), cause);
            return;
        }
        int max = MapItems.maxConcurrency(state, run);
        ObjectNode d = Json.object().put("length", items.size());
        startedId = run.event("MapStateStarted", "mapStateStartedEventDetails", d);
        launch(items.size(), max);
    }

    /** After a restart: the iterations that ended keep their results, the running ones resume. */
    void resume(Resumption r) {
        History.Entry started = r.startedWith("MapStateStarted");
        if (started == null) {
            r.restart();
            return;
        }
        startedId = started.eventId();
        mapInput = run.effectiveInput();
        items = MapItems.inline(state, run);
        int max = MapItems.maxConcurrency(state, run);
        int n = items.size();
        long[] iterationIds = new long[n];
        boolean[] reported = new boolean[n];
        for (History.Entry e : r.entries) {
            int index = e.isEvent() ? e.event().path(detailsOf(e.type())).path("index").asInt(-1) : -1;
            if (index < 0 || index >= n) {
                continue;
            }
            switch (e.type()) {
                case "MapIterationStarted" -> iterationIds[index] = e.eventId();
                case "MapIterationSucceeded" -> reported[index] = true;
                case "MapIterationFailed" -> {
                    // the Map failed with it; only its MapStateFailed was not logged yet
                    failed(index, r.recovery.outcome(run.flow.childId(startedId, index)));
                    return;
                }
                default -> {
                }
            }
        }
        Child[] children = new Child[n];
        for (int i = 0; i < n; i++) {
            if (iterationIds[i] > 0) {
                Flow f = iterationFlow(i, iterationIds[i]);
                JsonNode input;
                try {
                    input = MapItems.select(state, run, mapInput, item(i));
                } catch (StatesError e) {
                    children[i] = new Child(f, null, Outcome.failure(e.error(), e.cause()), false);
                    continue;
                }
                children[i] = new Child(f, input, r.recovery.outcome(f.id), reported[i]);
            }
        }
        resume(children, max, r.has("MapStateSucceeded"), r.recovery);
    }

    private static String detailsOf(String type) {
        return Character.toLowerCase(type.charAt(0)) + type.substring(1) + "EventDetails";
    }

    private ObjectNode item(int index) {
        ObjectNode item = Json.object();
        item.put("Index", index);
        item.set("Value", items.get(index));
        return item;
    }

    private Flow iterationFlow(int index, long iterationStartedId) {
        return run.flow.child(startedId, index, state.processor, item(index), iterationStartedId, o -> {
            if (!o.failed()) {
                run.eventOf("MapIterationSucceeded", "mapIterationSucceededEventDetails", iteration(index));
            } else {
                run.eventOf("MapIterationFailed", "mapIterationFailedEventDetails", iteration(index));
            }
            childDone(index, o);
        });
    }

    @Override
    Flow startChild(int index) {
        long id = run.eventOf("MapIterationStarted", "mapIterationStartedEventDetails", iteration(index));
        Flow f = iterationFlow(index, id);
        JsonNode input;
        try {
            input = MapItems.select(state, run, mapInput, f.mapItem);
        } catch (StatesError e) {
            run.flow.engine.submit(() -> childDone(index, Outcome.failure(e.error(), e.cause())));
            return f;
        }
        f.start(input);
        return f;
    }

    private History.Iteration iteration(int index) {
        return new History.Iteration(state.name, index);
    }

    @Override
    void aborted(int index) {
        run.eventOf("MapIterationAborted", "mapIterationAbortedEventDetails", iteration(index));
    }

    @Override
    void succeeded(ArrayNode results) {
        run.event("MapStateSucceeded", null, null);
        run.guarded(() -> run.succeed(results));
    }

    @Override
    void failed(int index, Outcome o) {
        run.event("MapStateFailed", null, null, Json.object().put("error", o.error()).put("cause", o.cause()));
        run.fail(o.error(), o.cause());
    }
}
