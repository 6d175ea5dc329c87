package io.cqrsworkers.localaws.stepfunctions.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.cqrsworkers.localaws.stepfunctions.core.Json;
import io.cqrsworkers.localaws.stepfunctions.asl.ParallelState;
import io.cqrsworkers.localaws.stepfunctions.asl.QueryLanguage;

/** A running Parallel state: every branch gets the same (effective) input. */
public final class ParallelRun extends FanOut {
    private final ParallelState state;
    private JsonNode branchInput;
    private long startedId;

    ParallelRun(ParallelState state, StateRun run) {
        super(run);
        this.state = state;
    }

    void start() {
        JsonNode in = run.effectiveInput();
        JsonNode template = state.language == QueryLanguage.JSONATA ? state.arguments : state.parameters;
        branchInput = template == null ? in : run.payload(template, in);
        startedId = run.event("ParallelStateStarted", null, null);
        launch(state.branches.size(), 0);
    }

    /** After a restart: branches that ended keep their results, the others resume. */
    void resume(Resumption r) {
        History.Entry started = r.startedWith("ParallelStateStarted");
        if (started == null) {
            r.restart();
            return;
        }
        startedId = started.eventId();
        JsonNode in = run.effectiveInput();
        JsonNode template = state.language == QueryLanguage.JSONATA ? state.arguments : state.parameters;
        branchInput = template == null ? in : run.payload(template, in);
        Child[] children = new Child[state.branches.size()];
        for (int i = 0; i < children.length; i++) {
            Flow f = branchFlow(i);
            // a branch has no events of its own around it: an ended one has nothing left to log but a failure
            children[i] = new Child(f, branchInput, r.recovery.outcome(f.id), true);
        }
        resume(children, 0, r.has("ParallelStateSucceeded"), r.recovery);
    }

    private Flow branchFlow(int index) {
        return run.flow.child(startedId, index, state.branches.get(index), null, startedId, o -> childDone(index, o));
    }

    @Override
    Flow startChild(int index) {
        Flow f = branchFlow(index);
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
        run.event("ParallelStateFailed", null, null, Json.object().put("error", o.error()).put("cause", o.cause()));
        run.fail(o.error(), o.cause());
    }
}
