package io.cqrsworkers.localaws.stepfunctions.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.localaws.stepfunctions.runtime.Activities;
import io.cqrsworkers.localaws.stepfunctions.runtime.Engine;

/** DescribeActivity. */
final class DescribeActivity extends Action {
    DescribeActivity(Engine engine) {
        super(engine);
    }

    @Override
    JsonNode handle(JsonNode request) {
        Activities.Activity a = engine.activities().get(required(request, "activityArn"));
        return object().put("activityArn", a.arn).put("name", a.name).put("creationDate", date(a.creationMillis));
    }
}
