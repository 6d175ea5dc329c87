package io.cqrsworkers.localaws.stepfunctions.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.localaws.stepfunctions.runtime.Engine;
import io.cqrsworkers.localaws.stepfunctions.runtime.StateMachine;

/** DeleteStateMachine: deleting an unknown machine succeeds, as on AWS. */
final class DeleteStateMachine extends Action {
    DeleteStateMachine(Engine engine) {
        super(engine);
    }

    @Override
    JsonNode handle(JsonNode request) {
        String arn = required(request, "stateMachineArn");
        engine.arns().require(arn, "stateMachine");
        StateMachine m = engine.findMachine(arn);
        if (m != null) {
            engine.deleteMachine(m);
        }
        return object();
    }
}
