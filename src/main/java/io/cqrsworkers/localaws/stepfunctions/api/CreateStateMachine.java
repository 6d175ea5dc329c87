package io.cqrsworkers.localaws.stepfunctions.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.localaws.stepfunctions.core.Arns;
import io.cqrsworkers.localaws.stepfunctions.core.SfnException;
import io.cqrsworkers.localaws.stepfunctions.asl.Definition;
import io.cqrsworkers.localaws.stepfunctions.runtime.Engine;
import io.cqrsworkers.localaws.stepfunctions.runtime.StateMachine;

import java.util.Objects;
import java.util.UUID;

/** CreateStateMachine: idempotent for an identical request, StateMachineAlreadyExists otherwise. */
final class CreateStateMachine extends Action {
    CreateStateMachine(Engine engine) {
        super(engine);
    }

    @Override
    JsonNode handle(JsonNode request) {
        String name = required(request, "name");
        String definition = required(request, "definition");
        String roleArn = required(request, "roleArn");
        String type = request.path("type").asText("STANDARD");
        if (!type.equals("STANDARD") && !type.equals("EXPRESS")) {
            throw SfnException.validation("1 validation error detected: Value '" + type + "' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]");
        }
        Arns.requireValidName(name);
        Definition parsed = Definitions.parse(definition, type);
        String arn = engine.arns().stateMachine(name);
        synchronized (engine) {
            StateMachine existing = engine.findMachine(arn);
            if (existing != null) {
                if (!existing.definitionText().equals(definition) || !Objects.equals(existing.roleArn(), roleArn) || !existing.type().equals(type)) {
                    throw new SfnException("StateMachineAlreadyExists", "State Machine Already Exists: '" + arn + "'");
                }
                return object().put("stateMachineArn", arn).put("creationDate", date(existing.creationMillis()));
            }
            long now = engine.clock().millis();
            engine.putMachine(new StateMachine(arn, name, type, definition, parsed, roleArn, now, now, UUID.randomUUID().toString()));
            return object().put("stateMachineArn", arn).put("creationDate", date(now));
        }
    }
}
