package io.cqrsworkers.localaws.stepfunctions.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.cqrsworkers.localaws.stepfunctions.Json;

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
