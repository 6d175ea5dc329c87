package io.cqrsworkers.localaws.stepfunctions.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.runtime.Engine;
import io.cqrsworkers.localaws.stepfunctions.runtime.MapRun;

/** ListMapRuns of an execution. */
final class ListMapRuns extends Action {
    ListMapRuns(Engine engine) {
        super(engine);
    }

    @Override
    JsonNode handle(JsonNode request) {
        String executionArn = required(request, "executionArn");
        engine.execution(executionArn);
        return Page.write(object(), "mapRuns", engine.mapRunsOf(executionArn), request, 100, (MapRun r) -> {
            ObjectNode o = object().put("executionArn", r.executionArn).put("mapRunArn", r.arn)
                    .put("stateMachineArn", r.stateMachineArn).put("startDate", date(r.startMillis));
            if (!"RUNNING".equals(r.status())) {
                o.put("stopDate", date(r.stopMillis()));
            }
            return o;
        });
    }
}
