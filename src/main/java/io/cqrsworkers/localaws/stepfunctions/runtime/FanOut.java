package io.cqrsworkers.localaws.stepfunctions.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.cqrsworkers.localaws.stepfunctions.core.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs N child flows of one state (Parallel branches, inline Map iterations) at most {@code maxConcurrency} at a
 * time, keeps their results in order, and stops the others at the first failure.
 */
abstract class FanOut {
    protected final StateRun run;
    private JsonNode[] results;
    private Flow[] flows;
    private AtomicInteger remaining;
    private final AtomicInteger nextIndex = new AtomicInteger();
    private final AtomicBoolean failed = new AtomicBoolean();
    private int count;

    FanOut(StateRun run) {
        this.run = run;
    }

    /** Starts child {@code index}; the flow must report to {@link #childDone}. */
    abstract Flow startChild(int index);

    abstract void succeeded(ArrayNode results);

    abstract void failed(int index, Outcome outcome);

    /** Called for every child still running when a sibling failed. */
    void aborted(int index) {
    }

    /**
     * A child as the log left it: {@code flow} null if it never started; {@code outcome} null while it runs;
     * {@code reported} when its end is already in the log (nothing left to write for it).
     */
    record Child(Flow flow, JsonNode input, Outcome outcome, boolean reported) {
    }

    /**
     * After a restart: takes the fan-out up where the log left it. Finished children keep their results, running
     * ones resume, children that never started start as slots free up, as {@link #launch} would have.
     *
     * @param successLogged the fan-out's success event is already in the log
     */
    void resume(Child[] children, int maxConcurrency, boolean successLogged, Recovery recovery) {
        int n = children.length;
        count = n;
        results = new JsonNode[n];
        flows = new Flow[n];
        remaining = new AtomicInteger(n);
        int started = 0;
        for (int i = 0; i < n; i++) {
            if (children[i] != null && children[i].flow() != null) {
                started = i + 1;
            }
        }
        int active = 0;
        List<Runnable> pending = new ArrayList<>();
        for (int i = 0; i < started; i++) {
            Child c = children[i];
            int index = i;
            if (c == null || c.flow() == null) {
                // its start was under way when the engine stopped
                active++;
                pending.add(() -> flows[index] = startChild(index));
            } else if (c.outcome() == null) {
                flows[i] = c.flow();
                active++;
                pending.add(() -> recovery.resumeFlow(c.flow(), c.input()));
            } else if (c.reported() && !c.outcome().failed()) {
                flows[i] = c.flow();
                results[i] = c.outcome().output();
                remaining.decrementAndGet();
            } else {
                flows[i] = c.flow();
                active++;
                pending.add(() -> c.flow().report(c.outcome()));
            }
        }
        nextIndex.set(started);
        if (remaining.get() == 0) {
            ArrayNode a = Json.NODES.arrayNode(count);
            for (JsonNode r : results) {
                a.add(r);
            }
            if (successLogged) {
                run.guarded(() -> run.succeed(a));
            } else {
                succeeded(a);
            }
            return;
        }
        // each pending child starts its successor when it ends: only the free slots start new ones here
        int free = maxConcurrency <= 0 ? n : maxConcurrency - active;
        pending.forEach(Runnable::run);
        for (int i = 0; i < free; i++) {
            startNext();
        }
    }

    void launch(int n, int maxConcurrency) {
        count = n;
        results = new JsonNode[n];
        flows = new Flow[n];
        remaining = new AtomicInteger(n);
        if (n == 0) {
            succeeded(Json.NODES.arrayNode());
            return;
        }
        int first = maxConcurrency <= 0 ? n : Math.min(n, maxConcurrency);
        for (int i = 0; i < first; i++) {
            startNext();
        }
    }

    private void startNext() {
        int i = nextIndex.getAndIncrement();
        if (i < count && !failed.get() && !run.flow.cancelled()) {
            flows[i] = startChild(i);
        }
    }

    void childDone(int index, Outcome o) {
        if (failed.get()) {
            return;
        }
        if (o.failed()) {
            if (failed.compareAndSet(false, true)) {
                for (int i = 0; i < count; i++) {
                    Flow f = flows[i];
                    if (f != null && i != index && results[i] == null) {
                        f.abort();
                        aborted(i);
                    }
                }
                failed(index, o);
            }
            return;
        }
        results[index] = o.output();
        if (remaining.decrementAndGet() == 0) {
            ArrayNode a = Json.NODES.arrayNode(count);
            for (JsonNode r : results) {
                a.add(r);
            }
            succeeded(a);
        } else {
            startNext();
        }
    }
}
