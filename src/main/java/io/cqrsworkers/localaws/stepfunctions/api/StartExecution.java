package io.cqrsworkers.localaws.stepfunctions.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.localaws.stepfunctions.Arns;
import io.cqrsworkers.localaws.stepfunctions.runtime.Engine;
import io.cqrsworkers.localaws.stepfunctions.runtime.Execution;
import io.cqrsworkers.localaws.stepfunctions.runtime.StateMachine;

import java.util.UUID;

/** StartExecution: standard executions are idempotent on name + input. */
final class StartExecution extends Action {
    StartExecution(Engine engine) {
        super(engine);
    }

    @Override
    JsonNode handle(JsonNode request) {
        Execution e = start(engine, request);
        return object().put("executionArn", e.arn).put("startDate", date(e.startMillis));
    }

    static Execution start(Engine engine, JsonNode request) {
        StateMachine m = engine.machine(required(request, "stateMachineArn"));
        String name = optional(request, "name");
        if (name == null) {
            name = UUID.randomUUID().toString();
        }
        Arns.requireValidName(name);
        String input = optional(request, "input");
        String arn = m.express()
                ? engine.arns().expressExecution(m.name(), name, UUID.randomUUID().toString())
                : engine.arns().execution(m.name(), name);
        return engine.start(m, arn, name, input == null ? "{}" : input, null);
    }
}
