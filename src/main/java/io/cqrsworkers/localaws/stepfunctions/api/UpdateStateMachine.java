package io.cqrsworkers.localaws.stepfunctions.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.localaws.stepfunctions.core.SfnException;
import io.cqrsworkers.localaws.stepfunctions.asl.Definition;
import io.cqrsworkers.localaws.stepfunctions.runtime.Engine;
import io.cqrsworkers.localaws.stepfunctions.runtime.StateMachine;

import java.util.UUID;

/** UpdateStateMachine: new executions use the new definition; running ones keep theirs. */
final class UpdateStateMachine extends Action {
    UpdateStateMachine(Engine engine) {
        super(engine);
    }

    @Override
    JsonNode handle(JsonNode request) {
        StateMachine m = engine.machine(required(request, "stateMachineArn"));
        String definition = optional(request, "definition");
        String roleArn = optional(request, "roleArn");
        if (definition == null && roleArn == null && !request.has("loggingConfiguration") && !request.has("tracingConfiguration")) {
            throw new SfnException("MissingRequiredParameter", "Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified");
        }
        Definition parsed = definition == null ? m.definition() : Definitions.parse(definition, m.type());
        long now = engine.clock().millis();
        String revision = UUID.randomUUID().toString();
        engine.putMachine(new StateMachine(m.arn(), m.name(), m.type(), definition == null ? m.definitionText() : definition, parsed,
                roleArn == null ? m.roleArn() : roleArn, m.creationMillis(), now, revision));
        return object().put("updateDate", date(now)).put("revisionId", revision);
    }
}
