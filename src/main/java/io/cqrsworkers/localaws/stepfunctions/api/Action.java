package io.cqrsworkers.localaws.stepfunctions.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.core.Json;
import io.cqrsworkers.localaws.stepfunctions.core.SfnException;
import io.cqrsworkers.localaws.stepfunctions.runtime.Engine;

import java.util.concurrent.CompletableFuture;

/** One API action of the AWSStepFunctions JSON 1.0 protocol. */
abstract class Action {
    protected final Engine engine;

    Action(Engine engine) {
        this.engine = engine;
    }

    /** Handles a request body; throws {@link SfnException} for AWS errors. */
    abstract JsonNode handle(JsonNode request);

    /** Actions that answer later (long polls, synchronous executions) override this. */
    CompletableFuture<JsonNode> handleAsync(JsonNode request) {
        return CompletableFuture.completedFuture(handle(request));
    }

    static String required(JsonNode request, String member) {
        JsonNode v = request.get(member);
        if (v == null || v.isNull()) {
            throw SfnException.validation("1 validation error detected: Value null at '" + member + "' failed to satisfy constraint: Member must not be null");
        }
        return v.asText();
    }

    static String optional(JsonNode request, String member) {
        JsonNode v = request.get(member);
        return v == null || v.isNull() ? null : v.asText();
    }

    static ObjectNode object() {
        return Json.object();
    }

    static double date(long millis) {
        return Json.epochSeconds(millis);
    }
}
