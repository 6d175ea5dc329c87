package io.cqrsworkers.localaws.stepfunctions.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.runtime.Engine;
import io.cqrsworkers.localaws.stepfunctions.runtime.StateMachine;

/** DescribeStateMachineForExecution: the machine as it was when the execution started. */
final class DescribeStateMachineForExecution extends Action {
    DescribeStateMachineForExecution(Engine engine) {
        super(engine);
    }

    @Override
    JsonNode handle(JsonNode request) {
        StateMachine m = engine.execution(required(request, "executionArn")).machine;
        ObjectNode o = Render.machine(m);
        o.remove("status");
        o.remove("type");
        o.remove("creationDate");
        o.put("updateDate", date(m.updateMillis()));
        return o;
    }
}
