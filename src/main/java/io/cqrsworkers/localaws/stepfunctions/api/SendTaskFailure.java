package io.cqrsworkers.localaws.stepfunctions.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.localaws.stepfunctions.runtime.Engine;

/** SendTaskFailure. */
final class SendTaskFailure extends Action {
    SendTaskFailure(Engine engine) {
        super(engine);
    }

    @Override
    JsonNode handle(JsonNode request) {
        engine.tokens().attempt(required(request, "taskToken")).fail(optional(request, "error"), optional(request, "cause"));
        return object();
    }
}
