package io.cqrsworkers.localaws.stepfunctions.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.localaws.stepfunctions.runtime.Engine;

/** DescribeStateMachine. */
final class DescribeStateMachine extends Action {
    DescribeStateMachine(Engine engine) {
        super(engine);
    }

    @Override
    JsonNode handle(JsonNode request) {
        return Render.machine(engine.machine(required(request, "stateMachineArn")));
    }
}
