package io.cqrsworkers.localaws.stepfunctions.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.localaws.stepfunctions.runtime.Activities;
import io.cqrsworkers.localaws.stepfunctions.runtime.Engine;

import java.util.Comparator;
import java.util.List;

/** ListActivities, by name. */
final class ListActivities extends Action {
    ListActivities(Engine engine) {
        super(engine);
    }

    @Override
    JsonNode handle(JsonNode request) {
        List<Activities.Activity> all = engine.activities().all().stream().sorted(Comparator.comparing(a -> a.name)).toList();
        return Page.write(object(), "activities", all, request, 100, a -> object()
                .put("activityArn", a.arn).put("name", a.name).put("creationDate", date(a.creationMillis)));
    }
}
