package io.cqrsworkers.localaws.stepfunctions.data;

import io.cqrsworkers.localaws.stepfunctions.core.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * Read-only view of what expressions can see: the state input ({@code $}), the context object ({@code $$})
 * and the workflow variables ({@code $name}). Values are never mutated by this package.
 */
public record EvalScope(JsonNode input, JsonNode context, Map<String, JsonNode> variables) {

    public EvalScope {
        variables = variables == null ? Map.of() : variables;
    }

    public static EvalScope of(JsonNode input) {
        return new EvalScope(input, Json.MAPPER.createObjectNode(), Map.of());
    }

    /** The same context and variables with another input (e.g. the effective input after InputPath). */
    public EvalScope withInput(JsonNode newInput) {
        return new EvalScope(newInput, context, variables);
    }

    /**
     * The JSONata {@code $states} object: {@code input}, {@code context}, and {@code result} /
     * {@code errorOutput} when present (null leaves the key out, as AWS does).
     */
    public static ObjectNode jsonataStates(JsonNode input, JsonNode result, JsonNode errorOutput, JsonNode context) {
        ObjectNode states = Json.MAPPER.createObjectNode();
        states.set("input", input);
        if (result != null) {
            states.set("result", result);
        }
        if (errorOutput != null) {
            states.set("errorOutput", errorOutput);
        }
        states.set("context", context);
        return states;
    }
}
