package io.cqrsworkers.localaws.stepfunctions.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.core.Json;
import io.cqrsworkers.localaws.stepfunctions.runtime.Execution;
import io.cqrsworkers.localaws.stepfunctions.runtime.StateMachine;

/** The response shapes shared by several actions. */
final class Render {
    private Render() {
    }

    static ObjectNode machine(StateMachine m) {
        ObjectNode o = Json.object();
        o.put("stateMachineArn", m.arn());
        o.put("name", m.name());
        o.put("status", "ACTIVE");
        o.put("definition", m.definitionText());
        o.put("roleArn", m.roleArn());
        o.put("type", m.type());
        o.put("creationDate", Json.epochSeconds(m.creationMillis()));
        o.putObject("loggingConfiguration").put("level", "OFF").put("includeExecutionData", false);
        o.putObject("tracingConfiguration").put("enabled", false);
        o.put("revisionId", m.revisionId());
        return o;
    }

    static ObjectNode executionSummary(Execution e) {
        ObjectNode o = Json.object();
        o.put("executionArn", e.arn);
        o.put("stateMachineArn", e.machine.arn());
        o.put("name", e.name);
        o.put("status", e.status().name());
        o.put("startDate", Json.epochSeconds(e.startMillis));
        if (!e.isRunning()) {
            o.put("stopDate", Json.epochSeconds(e.stopMillis()));
        }
        if (e.mapRunArn != null) {
            o.put("mapRunArn", e.mapRunArn);
        }
        return o;
    }

    static ObjectNode execution(Execution e) {
        ObjectNode o = executionSummary(e);
        o.put("input", e.inputText);
        o.set("inputDetails", Json.object().put("included", true));
        if (e.outputText() != null) {
            o.put("output", e.outputText());
            o.set("outputDetails", Json.object().put("included", true));
        }
        if (e.error() != null) {
            o.put("error", e.error());
        }
        if (e.cause() != null) {
            o.put("cause", e.cause());
        }
        o.put("redriveCount", 0);
        o.put("redriveStatus", "NOT_REDRIVABLE");
        return o;
    }
}
