package io.cqrsworkers.localaws.stepfunctions.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.localaws.stepfunctions.runtime.Engine;

/** DescribeExecution. */
final class DescribeExecution extends Action {
    DescribeExecution(Engine engine) {
        super(engine);
    }

    @Override
    JsonNode handle(JsonNode request) {
        return Render.execution(engine.execution(required(request, "executionArn")));
    }
}
