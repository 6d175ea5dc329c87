package io.cqrsworkers.localaws.stepfunctions.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.localaws.stepfunctions.core.Json;
import io.cqrsworkers.localaws.stepfunctions.core.SfnException;
import io.cqrsworkers.localaws.stepfunctions.runtime.Engine;
import io.cqrsworkers.localaws.stepfunctions.runtime.TaskAttempt;

/** SendTaskSuccess: the output must be JSON. */
final class SendTaskSuccess extends Action {
    SendTaskSuccess(Engine engine) {
        super(engine);
    }

    @Override
    JsonNode handle(JsonNode request) {
        String token = required(request, "taskToken");
        String output = required(request, "output");
        JsonNode parsed;
        try {
            parsed = Json.parse(output);
        } catch (Exception e) {
            parsed = null;
        }
        if (parsed == null) {
            throw new SfnException("InvalidOutput", "Invalid Output: '" + output + "'");
        }
        TaskAttempt attempt = engine.tokens().attempt(token);
        attempt.succeed(parsed);
        return object();
    }
}
