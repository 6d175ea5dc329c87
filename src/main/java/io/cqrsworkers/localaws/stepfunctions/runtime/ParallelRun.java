package io.cqrsworkers.localaws.stepfunctions.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.cqrsworkers.localaws.stepfunctions.asl.ParallelState;
import io.cqrsworkers.localaws.stepfunctions.asl.QueryLanguage;

/** A running Parallel state: every branch gets the same (effective) input. */
public final class ParallelRun extends FanOut {
    private final ParallelState state;
    private JsonNode branchInput;
    private long startedId;

    public ParallelRun(ParallelState state, StateRun run) {
        super(run);
        this.state = state;
    }

    public void start() {
        JsonNode in = run.effectiveInput();
        JsonNode template = state.language == QueryLanguage.JSONATA ? state.arguments : state.parameters;
        branchInput = template == null ? in : run.payload(template, in);
        startedId = run.event("ParallelStateStarted", null, null);
        launch(state.branches.size(), 0);
    }

    @Override
    Flow startChild(int index) {
        Flow f = run.flow.child(state.branches.get(index), null, startedId, o -> childDone(index, o));
        f.start(branchInput);
        return f;
    }

    @Override
    void succeeded(ArrayNode results) {
        run.event("ParallelStateSucceeded", null, null);
        run.guarded(() -> run.succeed(results));
    }

    @Override
    void failed(int index, Outcome o) {
        run.event("ParallelStateFailed", null, null);
        run.fail(o.error(), o.cause());
    }
}
