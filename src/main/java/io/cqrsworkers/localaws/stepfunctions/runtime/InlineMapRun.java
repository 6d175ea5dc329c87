package io.cqrsworkers.localaws.stepfunctions.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.Json;
import io.cqrsworkers.localaws.stepfunctions.asl.MapState;
import io.cqrsworkers.localaws.stepfunctions.data.StatesError;

/** A running inline Map state: one child flow per item, inside this execution. */
public final class InlineMapRun extends FanOut {
    private final MapState state;
    private JsonNode items;
    private JsonNode mapInput;

    public InlineMapRun(MapState state, StateRun run) {
        super(run);
        this.state = state;
    }

    public void start() {
        mapInput = run.effectiveInput();
        items = MapItems.inline(state, run);
        int max = MapItems.maxConcurrency(state, run);
        ObjectNode d = Json.object().put("length", items.size());
        run.event("MapStateStarted", "mapStateStartedEventDetails", d);
        launch(items.size(), max);
    }

    @Override
    Flow startChild(int index) {
        ObjectNode item = Json.object();
        item.put("Index", index);
        item.set("Value", items.get(index));
        long id = run.event("MapIterationStarted", "mapIterationStartedEventDetails", iteration(index));
        Flow f = run.flow.child(state.processor, item, id, o -> {
            if (!o.failed()) {
                run.event("MapIterationSucceeded", "mapIterationSucceededEventDetails", iteration(index));
            } else {
                run.event("MapIterationFailed", "mapIterationFailedEventDetails", iteration(index));
            }
            childDone(index, o);
        });
        JsonNode input;
        try {
            input = MapItems.select(state, run, mapInput, item);
        } catch (StatesError e) {
            run.flow.engine.submit(() -> childDone(index, Outcome.failure(e.error(), e.cause())));
            return f;
        }
        f.start(input);
        return f;
    }

    private ObjectNode iteration(int index) {
        return Json.object().put("name", state.name).put("index", index);
    }

    @Override
    void aborted(int index) {
        run.event("MapIterationAborted", "mapIterationAbortedEventDetails", iteration(index));
    }

    @Override
    void succeeded(ArrayNode results) {
        run.event("MapStateSucceeded", null, null);
        run.guarded(() -> run.succeed(results));
    }

    @Override
    void failed(int index, Outcome o) {
        run.event("MapStateFailed", null, null);
        run.fail(o.error(), o.cause());
    }
}
