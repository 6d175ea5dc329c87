package io.cqrsworkers.localaws.stepfunctions.asl;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Set;

/** Task: calls a service integration or an activity, with timeouts and heartbeats. */
public final class TaskState extends State {
    public final String resource;
    public final JsonNode timeoutSeconds;
    public final String timeoutSecondsPath;
    public final JsonNode heartbeatSeconds;
    public final String heartbeatSecondsPath;

    TaskState(String name, Fields f, QueryLanguage language) {
        super(name, f, language, Set.of("InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath", "Retry", "Catch",
                "Resource", "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath", "Credentials",
                "Arguments", "Output", "Assign"), true);
        this.resource = f.string("Resource", true);
        f.positiveInt("TimeoutSeconds", 1);
        f.positiveInt("HeartbeatSeconds", 1);
        this.timeoutSeconds = f.get("TimeoutSeconds");
        this.heartbeatSeconds = f.get("HeartbeatSeconds");
        this.timeoutSecondsPath = f.string("TimeoutSecondsPath", false);
        this.heartbeatSecondsPath = f.string("HeartbeatSecondsPath", false);
        if (resource != null && !resource.startsWith("arn:")) {
            f.problems.add("SCHEMA_VALIDATION_FAILED", "Value is not a valid resource ARN", f.path + "/Resource");
        }
        if (timeoutSeconds != null && timeoutSecondsPath != null) {
            f.problems.add("SCHEMA_VALIDATION_FAILED", "This state can not have both 'TimeoutSeconds' and 'TimeoutSecondsPath' fields", f.path);
        }
        if (heartbeatSeconds != null && heartbeatSecondsPath != null) {
            f.problems.add("SCHEMA_VALIDATION_FAILED", "This state can not have both 'HeartbeatSeconds' and 'HeartbeatSecondsPath' fields", f.path);
        }
        if (timeoutSeconds != null && heartbeatSeconds != null && timeoutSeconds.isInt() && heartbeatSeconds.isInt()
                && heartbeatSeconds.asInt() >= timeoutSeconds.asInt()) {
            f.problems.add("SCHEMA_VALIDATION_FAILED", "The value of 'HeartbeatSeconds' must be smaller than the value of 'TimeoutSeconds'", f.path + "/HeartbeatSeconds");
        }
    }

    @Override
    public boolean producesResult() {
        return true;
    }

    @Override
    public void execute(StateContext run) {
        run.runTask(this);
    }
}
