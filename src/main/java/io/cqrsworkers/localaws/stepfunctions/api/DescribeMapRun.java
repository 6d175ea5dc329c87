package io.cqrsworkers.localaws.stepfunctions.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.runtime.Engine;
import io.cqrsworkers.localaws.stepfunctions.runtime.MapRun;

/** DescribeMapRun: status, limits and the item and child-execution counts. */
final class DescribeMapRun extends Action {
    DescribeMapRun(Engine engine) {
        super(engine);
    }

    @Override
    JsonNode handle(JsonNode request) {
        MapRun r = engine.mapRun(required(request, "mapRunArn"));
        ObjectNode o = object();
        o.put("mapRunArn", r.arn).put("executionArn", r.executionArn).put("status", r.status()).put("startDate", date(r.startMillis));
        if (!"RUNNING".equals(r.status())) {
            o.put("stopDate", date(r.stopMillis()));
        }
        o.put("maxConcurrency", r.maxConcurrency).put("toleratedFailurePercentage", (float) r.toleratedFailurePercentage)
                .put("toleratedFailureCount", r.toleratedFailureCount);
        long total = r.itemsTotal.get();
        counts(o.putObject("itemCounts"), total, r.itemsRunning.get(), r.itemsSucceeded.get(), r.itemsFailed.get()).put("resultsWritten", r.resultsWritten.get());
        long execs = r.executionsRunning.get() + r.executionsSucceeded.get() + r.executionsFailed.get();
        counts(o.putObject("executionCounts"), execs, r.executionsRunning.get(), r.executionsSucceeded.get(), r.executionsFailed.get()).put("resultsWritten", r.resultsWritten.get());
        o.put("redriveCount", 0);
        return o;
    }

    private static ObjectNode counts(ObjectNode c, long total, long running, long succeeded, long failed) {
        return c.put("pending", Math.max(0, total - running - succeeded - failed)).put("running", running).put("succeeded", succeeded)
                .put("failed", failed).put("timedOut", 0).put("aborted", 0).put("total", total);
    }
}
