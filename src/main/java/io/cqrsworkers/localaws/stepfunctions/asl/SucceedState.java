package io.cqrsworkers.localaws.stepfunctions.asl;


import java.util.Set;

/** Succeed: ends its branch successfully with its (processed) input. */
public final class SucceedState extends State {
    SucceedState(String name, Fields f, QueryLanguage language) {
        super(name, f, language, Set.of("InputPath", "OutputPath", "Output", "Assign"), false);
    }

    @Override
    public boolean terminal() {
        return true;
    }

    @Override
    public void execute(StateContext run) {
        run.succeed(run.effectiveInput());
    }
}
