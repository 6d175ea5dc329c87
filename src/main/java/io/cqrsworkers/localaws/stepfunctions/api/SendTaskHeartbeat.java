package io.cqrsworkers.localaws.stepfunctions.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.localaws.stepfunctions.runtime.Engine;

/** SendTaskHeartbeat. */
final class SendTaskHeartbeat extends Action {
    SendTaskHeartbeat(Engine engine) {
        super(engine);
    }

    @Override
    JsonNode handle(JsonNode request) {
        engine.tokens().attempt(required(request, "taskToken")).heartbeat();
        return object();
    }
}
