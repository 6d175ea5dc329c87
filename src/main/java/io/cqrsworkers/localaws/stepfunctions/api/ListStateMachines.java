package io.cqrsworkers.localaws.stepfunctions.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.localaws.stepfunctions.runtime.Engine;
import io.cqrsworkers.localaws.stepfunctions.runtime.StateMachine;

import java.util.Comparator;
import java.util.List;

/** ListStateMachines, by name. */
final class ListStateMachines extends Action {
    ListStateMachines(Engine engine) {
        super(engine);
    }

    @Override
    JsonNode handle(JsonNode request) {
        List<StateMachine> all = engine.machines().stream().sorted(Comparator.comparing(StateMachine::name)).toList();
        return Page.write(object(), "stateMachines", all, request, 100, m -> object()
                .put("stateMachineArn", m.arn()).put("name", m.name()).put("type", m.type())
                .put("creationDate", date(m.creationMillis())));
    }
}
