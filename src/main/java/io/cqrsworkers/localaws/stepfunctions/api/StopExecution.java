package io.cqrsworkers.localaws.stepfunctions.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.localaws.stepfunctions.runtime.Engine;
import io.cqrsworkers.localaws.stepfunctions.runtime.Execution;

/** StopExecution: aborts a running execution (a finished one keeps its status). */
final class StopExecution extends Action {
    StopExecution(Engine engine) {
        super(engine);
    }

    @Override
    JsonNode handle(JsonNode request) {
        Execution e = engine.execution(required(request, "executionArn"));
        engine.stop(e, optional(request, "error"), optional(request, "cause"));
        return object().put("stopDate", date(e.stopMillis()));
    }
}
