package io.cqrsworkers.localaws.stepfunctions.asl;

import io.cqrsworkers.localaws.stepfunctions.runtime.StateRun;

import java.util.Set;

/** Succeed: ends its branch successfully with its (processed) input. */
public final class SucceedState extends State {
    SucceedState(String name, Fields f, QueryLanguage language) {
        super(name, f, language, Set.of("InputPath", "OutputPath", "Output", "Assign"), false);
    }

    @Override
    public void execute(StateRun run) {
        run.succeed(run.effectiveInput());
    }
}
