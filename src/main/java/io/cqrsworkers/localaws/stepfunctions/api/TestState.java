package io.cqrsworkers.localaws.stepfunctions.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.core.Json;
import io.cqrsworkers.localaws.stepfunctions.core.SfnException;
import io.cqrsworkers.localaws.stepfunctions.asl.Definition;
import io.cqrsworkers.localaws.stepfunctions.runtime.Engine;
import io.cqrsworkers.localaws.stepfunctions.runtime.Execution;
import io.cqrsworkers.localaws.stepfunctions.runtime.Inspection;
import io.cqrsworkers.localaws.stepfunctions.runtime.StateMachine;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * TestState: runs one state on an input. The state is wrapped in a throw-away machine whose other states are
 * Succeed placeholders named like its transition targets, so the first state entered after it is nextState.
 */
final class TestState extends Action {
    private static final String NAME = "TestState";

    TestState(Engine engine) {
        super(engine);
    }

    @Override
    JsonNode handle(JsonNode request) {
        return handleAsync(request).join();
    }

    @Override
    CompletableFuture<JsonNode> handleAsync(JsonNode request) {
        JsonNode state;
        try {
            state = Json.parse(required(request, "definition"));
        } catch (Exception e) {
            throw new SfnException("InvalidDefinition", "Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: " + e.getMessage() + "'");
        }
        ObjectNode machine = Json.object();
        machine.put("StartAt", NAME);
        ObjectNode states = machine.putObject("States");
        states.set(NAME, state);
        for (String target : targets(state)) {
            states.putObject(target).put("Type", "Succeed");
        }
        String text = Json.write(machine);
        Definition parsed = Definition.parse(text);
        String name = "TestState-" + UUID.randomUUID();
        long now = engine.clock().millis();
        StateMachine m = new StateMachine(engine.arns().stateMachine(name), name, "EXPRESS", text, parsed,
                optional(request, "roleArn"), now, now, "test");
        String input = optional(request, "input");
        String level = optional(request, "inspectionLevel");
        if (level != null && !List.of("INFO", "DEBUG", "TRACE").contains(level)) {
            throw SfnException.validation("1 validation error detected: Value '" + level
                    + "' at 'inspectionLevel' failed to satisfy constraint: Member must satisfy enum value set: [INFO, DEBUG, TRACE]");
        }
        Inspection inspection = new Inspection(NAME, variables(optional(request, "variables")));
        Execution e = engine.startInspected(m, engine.arns().expressExecution(name, name, UUID.randomUUID().toString()), name,
                input == null ? "{}" : input, inspection);
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        // TRACE adds the raw HTTP request and response of an HTTP Task, which this engine does not run: it shows what DEBUG does
        boolean detailed = "DEBUG".equals(level) || "TRACE".equals(level);
        e.whenEnded(done -> result.complete(render(done, inspection, detailed)));
        return result;
    }

    private static Map<String, JsonNode> variables(String text) {
        if (text == null) {
            return Map.of();
        }
        JsonNode v;
        try {
            v = Json.parse(text);
        } catch (Exception ex) {
            v = null;
        }
        if (v == null || !v.isObject()) {
            throw SfnException.validation("The variables must be a JSON object literal");
        }
        Map<String, JsonNode> m = new HashMap<>();
        v.fields().forEachRemaining(f -> m.put(f.getKey(), f.getValue()));
        return m;
    }

    private static Set<String> targets(JsonNode state) {
        Set<String> t = new LinkedHashSet<>();
        if (state.path("Next").isTextual()) {
            t.add(state.get("Next").asText());
        }
        if (state.path("Default").isTextual()) {
            t.add(state.get("Default").asText());
        }
        for (String field : List.of("Choices", "Catch")) {
            state.path(field).forEach(c -> {
                if (c.path("Next").isTextual()) {
                    t.add(c.get("Next").asText());
                }
            });
        }
        t.remove(NAME);
        return t;
    }

    private static ObjectNode render(Execution e, Inspection inspection, boolean detailed) {
        ObjectNode o = Json.object();
        List<ObjectNode> events = e.history.snapshot();
        boolean caught = false;
        String nextState = null;
        for (ObjectNode ev : events) {
            String type = ev.path("type").asText();
            JsonNode exited = ev.get("stateExitedEventDetails");
            if (exited != null && NAME.equals(exited.path("name").asText())) {
                o.put("output", exited.path("output").asText());
            }
            JsonNode entered = ev.get("stateEnteredEventDetails");
            if (entered != null && !NAME.equals(entered.path("name").asText()) && nextState == null) {
                nextState = entered.path("name").asText();
            }
            if (type.endsWith("Failed") && !type.startsWith("Execution")) {
                caught = true;
            }
        }
        if (e.status() == Execution.Status.FAILED) {
            o.remove("output");
            o.put("error", e.error());
            if (e.cause() != null) {
                o.put("cause", e.cause());
            }
            o.put("status", inspection.isRetriable() ? "RETRIABLE" : "FAILED");
        } else {
            o.put("status", caught || inspection.isCaught() ? "CAUGHT_ERROR" : "SUCCEEDED");
            if (nextState != null) {
                o.put("nextState", nextState);
            }
        }
        if (detailed) {
            o.set("inspectionData", inspection.data());
        }
        return o;
    }
}
