package io.cqrsworkers.localaws.stepfunctions.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.localaws.stepfunctions.core.SfnException;
import io.cqrsworkers.localaws.stepfunctions.runtime.Engine;
import io.cqrsworkers.localaws.stepfunctions.runtime.Execution;

import java.util.List;
import java.util.Set;

/** ListExecutions of a machine or of a Map Run, newest first, with an optional status filter. */
final class ListExecutions extends Action {
    private static final Set<String> STATUSES = Set.of("RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE");

    ListExecutions(Engine engine) {
        super(engine);
    }

    @Override
    JsonNode handle(JsonNode request) {
        String machineArn = optional(request, "stateMachineArn");
        String mapRunArn = optional(request, "mapRunArn");
        if ((machineArn == null) == (mapRunArn == null)) {
            throw SfnException.validation("Must provide a StateMachine ARN or MapRun ARN");
        }
        String status = optional(request, "statusFilter");
        if (status != null && !STATUSES.contains(status)) {
            throw SfnException.validation("1 validation error detected: Value '" + status + "' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE]");
        }
        List<Execution> all;
        if (machineArn != null) {
            if (engine.machine(machineArn).express()) {
                throw new SfnException("StateMachineTypeNotSupported", "This operation is not supported by this type of state machine");
            }
            all = engine.executionsOf(machineArn);
        } else {
            all = engine.mapRun(mapRunArn).executions();
        }
        List<Execution> filtered = status == null ? all : all.stream().filter(e -> e.status().name().equals(status)).toList();
        return Page.write(object(), "executions", filtered, request, 100, Render::executionSummary);
    }
}
