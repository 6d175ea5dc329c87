package io.cqrsworkers.localaws.stepfunctions.asl;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Parallel: runs every branch on the same input; the result is the array of the branches' outputs. */
public final class ParallelState extends State {
    public final List<StateGraph> branches = new ArrayList<>();

    ParallelState(String name, Fields f, QueryLanguage language) {
        super(name, f, language, Set.of("InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath", "Retry", "Catch",
                "Branches", "Arguments", "Output", "Assign"), true);
        JsonNode b = f.get("Branches");
        if (b == null || !b.isArray() || b.isEmpty()) {
            f.problems.add("SCHEMA_VALIDATION_FAILED", "The field 'Branches' should be a non-empty array", f.path);
            return;
        }
        for (int i = 0; i < b.size(); i++) {
            branches.add(new StateGraph(new Fields(b.get(i), f.path + "/Branches[" + i + "]", f.problems), language, Set.of()));
        }
    }

    @Override
    public boolean producesResult() {
        return true;
    }

    @Override
    public void execute(StateContext run) {
        run.runParallel(this);
    }

    @Override
    public void resume(StateContext run) {
        run.resumeParallel(this);
    }
}
