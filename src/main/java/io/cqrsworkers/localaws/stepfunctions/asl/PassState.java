package io.cqrsworkers.localaws.stepfunctions.asl;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Set;

/** Pass: its result is Result, else Parameters applied to the input, else the input. */
public final class PassState extends State {
    private final JsonNode result;

    PassState(String name, Fields f, QueryLanguage language) {
        super(name, f, language, Set.of("InputPath", "OutputPath", "Parameters", "Result", "ResultPath", "Assign", "Output"), true);
        this.result = f.get("Result");
    }

    @Override
    public boolean producesResult() {
        return true;
    }

    @Override
    public void execute(StateContext run) {
        if (language == QueryLanguage.JSONATA || result == null) {
            JsonNode in = run.effectiveInput();
            run.succeed(parameters == null ? in : run.payload(parameters, in));
        } else {
            run.succeed(result);
        }
    }
}
