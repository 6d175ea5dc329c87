package io.cqrsworkers.localaws.stepfunctions.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.localaws.stepfunctions.runtime.Engine;

/** DeleteActivity. */
final class DeleteActivity extends Action {
    DeleteActivity(Engine engine) {
        super(engine);
    }

    @Override
    JsonNode handle(JsonNode request) {
        engine.activities().delete(required(request, "activityArn"));
        return object();
    }
}
