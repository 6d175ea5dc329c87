package io.cqrsworkers.localaws.stepfunctions.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.http.AwsJsonServer.Operation;
import io.cqrsworkers.localaws.stepfunctions.runtime.Engine;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Every action the engine answers, keyed by X-Amz-Target ({@code AWSStepFunctions.<Action>}), served by the shared
 * AWS JSON server. Long polls and synchronous executions answer later, so they hold no server thread while they wait;
 * an action's {@link io.cqrsworkers.localaws.stepfunctions.core.SfnException} is answered as every emulator's errors.
 */
public final class Operations {

    private static final String TARGET_PREFIX = "AWSStepFunctions.";

    private Operations() {
    }

    public static Map<String, Operation> all(Engine engine) {
        Map<String, Operation> ops = new HashMap<>();
        for (Action a : new Action[]{
                new CreateStateMachine(engine), new UpdateStateMachine(engine), new DeleteStateMachine(engine),
                new DescribeStateMachine(engine), new DescribeStateMachineForExecution(engine), new ListStateMachines(engine),
                new ValidateStateMachineDefinition(engine), new StartExecution(engine), new StartSyncExecution(engine),
                new StopExecution(engine), new DescribeExecution(engine), new ListExecutions(engine),
                new GetExecutionHistory(engine), new SendTaskSuccess(engine), new SendTaskFailure(engine),
                new SendTaskHeartbeat(engine), new CreateActivity(engine), new DescribeActivity(engine),
                new DeleteActivity(engine), new ListActivities(engine), new GetActivityTask(engine),
                new DescribeMapRun(engine), new ListMapRuns(engine), new TestState(engine)}) {
            ops.put(TARGET_PREFIX + a.getClass().getSimpleName(), operation(engine, a));
        }
        return ops;
    }

    /**
     * An action as the server's operation: its answer is always a JSON object, given once the journal entries the
     * action made are written (an acknowledged callback or stop survives a crash).
     */
    private static Operation operation(Engine engine, Action action) {
        return new Operation() {
            @Override
            public ObjectNode handle(JsonNode request) {
                try {
                    return (ObjectNode) action.handle(request);
                } finally {
                    engine.flushJournal();
                }
            }

            @Override
            public CompletableFuture<ObjectNode> handleAsync(JsonNode request) {
                return action.handleAsync(request).whenComplete((answer, failure) -> engine.flushJournal())
                        .thenApply(ObjectNode.class::cast);
            }
        };
    }
}
