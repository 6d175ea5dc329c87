package io.cqrsworkers.localaws.stepfunctions.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.asl.Definition;
import io.cqrsworkers.localaws.stepfunctions.asl.Problems;
import io.cqrsworkers.localaws.stepfunctions.runtime.Engine;

/** ValidateStateMachineDefinition: the same checks as CreateStateMachine, as diagnostics. */
final class ValidateStateMachineDefinition extends Action {
    ValidateStateMachineDefinition(Engine engine) {
        super(engine);
    }

    @Override
    JsonNode handle(JsonNode request) {
        Problems problems = new Problems();
        Definition.parse(required(request, "definition"), problems);
        ObjectNode o = object();
        o.put("result", problems.messages().isEmpty() ? "OK" : "FAIL");
        ArrayNode diagnostics = o.putArray("diagnostics");
        for (String m : problems.messages()) {
            int colon = m.indexOf(": ");
            int at = m.lastIndexOf(" at ");
            diagnostics.addObject().put("severity", "ERROR").put("code", m.substring(0, colon))
                    .put("message", m.substring(colon + 2, at));
            if (!m.endsWith(" at null")) {
                // AWS gives MISSING_END_STATE no location (floci-io/floci#2786 records AWS's answer)
                ((com.fasterxml.jackson.databind.node.ObjectNode) diagnostics.get(diagnostics.size() - 1)).put("location", m.substring(at + 4));
            }
        }
        o.put("truncated", false);
        return o;
    }
}
