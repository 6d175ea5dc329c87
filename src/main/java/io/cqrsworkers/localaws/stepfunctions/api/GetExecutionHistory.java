package io.cqrsworkers.localaws.stepfunctions.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.runtime.Engine;
import io.cqrsworkers.localaws.stepfunctions.runtime.Execution;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/** GetExecutionHistory: events in id order (or reversed), paginated; includeExecutionData=false drops payloads. */
final class GetExecutionHistory extends Action {
    GetExecutionHistory(Engine engine) {
        super(engine);
    }

    @Override
    JsonNode handle(JsonNode request) {
        Execution e = engine.execution(required(request, "executionArn"));
        List<ObjectNode> events = e.history.snapshot();
        if (request.path("reverseOrder").asBoolean(false)) {
            Collections.reverse(events);
        }
        boolean withData = request.path("includeExecutionData").asBoolean(true);
        return Page.write(object(), "events", events, request, 100, ev -> withData ? ev : withoutData(ev));
    }

    private static JsonNode withoutData(ObjectNode event) {
        ObjectNode copy = event.deepCopy();
        for (Iterator<JsonNode> it = copy.elements(); it.hasNext(); ) {
            JsonNode v = it.next();
            if (v.isObject()) {
                ((ObjectNode) v).remove(List.of("input", "output", "parameters", "cause"));
            }
        }
        return copy;
    }
}
