package io.cqrsworkers.localaws.stepfunctions.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.core.SfnException;
import io.cqrsworkers.localaws.stepfunctions.runtime.Engine;
import io.cqrsworkers.localaws.stepfunctions.runtime.Execution;

import java.util.concurrent.CompletableFuture;

/** StartSyncExecution: runs an EXPRESS execution and answers when it has ended. */
final class StartSyncExecution extends Action {
    StartSyncExecution(Engine engine) {
        super(engine);
    }

    @Override
    JsonNode handle(JsonNode request) {
        return handleAsync(request).join();
    }

    @Override
    CompletableFuture<JsonNode> handleAsync(JsonNode request) {
        if (!StartExecution.machine(engine, required(request, "stateMachineArn")).express()) {
            throw new SfnException("StateMachineTypeNotSupported", "This operation is not supported by this type of state machine");
        }
        Execution e = StartExecution.start(engine, request);
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        e.whenEnded(done -> {
            ObjectNode o = Render.execution(done);
            o.remove("redriveCount");
            o.remove("redriveStatus");
            o.putObject("billingDetails").put("billedMemoryUsedInMB", 64).put("billedDurationInMilliseconds", Math.max(100, done.stopMillis() - done.startMillis));
            result.complete(o);
        });
        return result;
    }
}
