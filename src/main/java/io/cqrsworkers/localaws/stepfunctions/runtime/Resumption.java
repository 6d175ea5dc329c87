package io.cqrsworkers.localaws.stepfunctions.runtime;

import java.util.List;

/**
 * What a state's current attempt had logged when the engine stopped, handed to the state so it resumes itself
 * ({@code State.resume}, through {@link StateRun#resume}); a state with nothing to keep starts the attempt again.
 */
public final class Resumption {
    final Recovery recovery;
    final StateRun run;
    /** The entries of the attempt, in order (its start event first). */
    final List<History.Entry> entries;

    Resumption(Recovery recovery, StateRun run, List<History.Entry> entries) {
        this.recovery = recovery;
        this.run = run;
        this.entries = entries;
    }

    /** Runs the attempt again from the state's input. */
    void restart() {
        run.attempt();
    }

    /** The first entry of the attempt if it is an event of {@code type}, else null. */
    History.Entry startedWith(String type) {
        History.Entry first = entries.get(0);
        return first.isEvent() && first.type().equals(type) ? first : null;
    }

    boolean has(String type) {
        return entries.stream().anyMatch(e -> e.type().equals(type));
    }
}
