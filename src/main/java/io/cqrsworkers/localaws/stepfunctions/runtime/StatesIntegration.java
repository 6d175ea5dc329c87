package io.cqrsworkers.localaws.stepfunctions.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.core.Arns;
import io.cqrsworkers.localaws.stepfunctions.core.Json;
import io.cqrsworkers.localaws.stepfunctions.core.SfnException;
import io.cqrsworkers.localaws.stepfunctions.data.StatesError;
import io.cqrsworkers.localaws.stepfunctions.integrations.Attempt;
import io.cqrsworkers.localaws.stepfunctions.integrations.Integration;

import java.util.UUID;

/**
 * {@code states:startExecution} (+ .sync, .sync:2, .waitForTaskToken): nested executions on this engine, which adds
 * it to its integrations itself.
 */
final class StatesIntegration implements Integration {
    private final Engine engine;

    StatesIntegration(Engine engine) {
        this.engine = engine;
    }

    @Override
    public String service() {
        return "states";
    }

    @Override
    public JsonNode call(String action, JsonNode arguments, Attempt attempt) {
        if (!action.equals("startExecution")) {
            throw new StatesError("States.Runtime", "The resource 'arn:aws:states:::states:" + action + "' is not available in the local Step Functions engine; states supports [startExecution]");
        }
        try {
            StateMachine m = engine.machine(arguments.path("StateMachineArn").asText(null));
            String name = arguments.path("Name").asText(UUID.randomUUID().toString());
            Arns.requireValidName(name);
            JsonNode input = arguments.get("Input");
            String inputText = input == null ? "{}" : input.isTextual() ? input.asText() : Json.write(input);
            String arn = m.express() ? engine.arns().expressExecution(m.name(), name, UUID.randomUUID().toString())
                    : engine.arns().execution(m.name(), name);
            Execution e = engine.start(m, arn, name, inputText, null);
            return Json.object().put("ExecutionArn", e.arn).put("StartDate", e.startMillis);
        } catch (SfnException e) {
            throw new StatesError("StepFunctions." + e.type() + (e.type().endsWith("Exception") ? "" : "Exception"), e.getMessage());
        }
    }

    @Override
    public void awaitCompletion(String action, JsonNode response, boolean jsonOutput, Attempt attempt) {
        Execution child = engine.findExecution(response.path("ExecutionArn").asText());
        child.whenEnded(e -> {
            ObjectNode d = Json.object();
            d.put("ExecutionArn", e.arn).put("StateMachineArn", e.machine.arn()).put("Name", e.name)
                    .put("Status", e.status().name()).put("StartDate", e.startMillis).put("StopDate", e.stopMillis());
            JsonNode input = e.input();
            d.set("Input", jsonOutput ? input : Json.NODES.textNode(e.inputText));
            d.set("InputDetails", Json.object().put("Included", true));
            if (e.status() == Execution.Status.SUCCEEDED) {
                try {
                    d.set("Output", jsonOutput ? Json.parse(e.outputText()) : Json.NODES.textNode(e.outputText()));
                } catch (Exception ex) {
                    d.put("Output", e.outputText());
                }
                d.set("OutputDetails", Json.object().put("Included", true));
                attempt.succeed(d);
            } else {
                String error = e.status() == Execution.Status.FAILED ? "States.TaskFailed"
                        : e.status() == Execution.Status.TIMED_OUT ? "States.Timeout" : "States.TaskFailed";
                if (e.error() != null) {
                    d.put("Error", e.error());
                }
                if (e.cause() != null) {
                    d.put("Cause", e.cause());
                }
                attempt.fail(error, Json.write(d));
            }
        });
    }
}
