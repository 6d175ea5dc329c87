package io.cqrsworkers.localaws.stepfunctions.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.localaws.stepfunctions.core.Arns;
import io.cqrsworkers.localaws.stepfunctions.runtime.Activities;
import io.cqrsworkers.localaws.stepfunctions.runtime.Engine;

/** CreateActivity: idempotent on the name. */
final class CreateActivity extends Action {
    CreateActivity(Engine engine) {
        super(engine);
    }

    @Override
    JsonNode handle(JsonNode request) {
        String name = required(request, "name");
        Arns.requireValidName(name);
        Activities.Activity a = engine.activities().create(name);
        return object().put("activityArn", a.arn).put("creationDate", date(a.creationMillis));
    }
}
