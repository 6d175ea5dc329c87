package io.cqrsworkers.localaws.stepfunctions.asl;

/** Creates the state class for a state's Type. */
final class States {
    private States() {
    }

    static State parse(String name, Fields f, QueryLanguage language) {
        if (name.length() > 80) {
            // AWS's answer, recorded in ChristopheBougere/asl-validator#69 and aws-cloudformation/cfn-lint#4079
            f.problems.add("INVALID_STATE_NAME", "Invalid State name: State '" + name
                    + "' exceeds the 80-character limit allowed by the service", f.path);
        }
        if (!f.node.isObject()) {
            f.problems.add("SCHEMA_VALIDATION_FAILED", "The value for the state must be an OBJECT", f.path);
            return null;
        }
        String type = f.string("Type", true);
        if (type == null) {
            return null;
        }
        return switch (type) {
            case "Pass" -> new PassState(name, f, language);
            case "Task" -> new TaskState(name, f, language);
            case "Choice" -> new ChoiceState(name, f, language);
            case "Wait" -> new WaitState(name, f, language);
            case "Succeed" -> new SucceedState(name, f, language);
            case "Fail" -> new FailState(name, f, language);
            case "Parallel" -> new ParallelState(name, f, language);
            case "Map" -> new MapState(name, f, language);
            default -> {
                f.problems.add("SCHEMA_VALIDATION_FAILED", "The value for the field 'Type' must be one of [Task, Pass, Choice, Wait, Succeed, Fail, Parallel, Map]", f.path + "/Type");
                yield null;
            }
        };
    }
}
