package io.cqrsworkers.localaws.stepfunctions.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.runtime.Engine;

import java.util.concurrent.CompletableFuture;

/** GetActivityTask: long poll; answers without a task after 60 seconds. */
final class GetActivityTask extends Action {
    GetActivityTask(Engine engine) {
        super(engine);
    }

    @Override
    JsonNode handle(JsonNode request) {
        return handleAsync(request).join();
    }

    @Override
    CompletableFuture<JsonNode> handleAsync(JsonNode request) {
        var activity = engine.activities().get(required(request, "activityArn"));
        return engine.activities().poll(activity, optional(request, "workerName")).thenApply(t -> {
            ObjectNode o = object();
            if (t.taskToken() != null) {
                o.put("taskToken", t.taskToken()).put("input", t.input());
            }
            return o;
        });
    }
}
