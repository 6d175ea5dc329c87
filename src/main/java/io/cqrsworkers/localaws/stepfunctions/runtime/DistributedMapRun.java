package io.cqrsworkers.localaws.stepfunctions.runtime;

import io.cqrsworkers.localaws.stepfunctions.asl.MapState;

/** A running distributed Map state. */
public final class DistributedMapRun {
    private final StateRun run;

    public DistributedMapRun(MapState state, StateRun run) {
        this.run = run;
    }

    public void start() {
        run.fail("States.Runtime", "Distributed Map is not implemented yet");
    }
}
