package io.cqrsworkers.localaws.stepfunctions.data;

import io.cqrsworkers.localaws.stepfunctions.core.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Throughput of the data layer's hot operations (not a timed test; run its main). Prints operations per second
 * for the calls a state transition makes: paths, ResultPath, payload templates, intrinsics, Choice rules and
 * JSONata, on a small input and on an input of 1,000 items.
 */
public final class DataBenchmark {

    private static volatile Object sink;

    public static void main(String[] args) throws Exception {
        JsonNode small = Json.parse("""
                {"pk":"tenant#1","sk":"item#42","version":3,"name":"Widget","tags":["a","b"],
                 "attributes":{"color":"blue","size":"small"}}""");
        ObjectNode big = Json.MAPPER.createObjectNode();
        ArrayNode items = big.putArray("items");
        for (int i = 0; i < 1000; i++) {
            items.addObject().put("id", i).put("name", "item-" + i).put("price", i * 1.5);
        }
        big.put("pk", "tenant#1");
        JsonNode context = Json.parse("""
                {"Execution":{"Id":"arn:aws:states:us-east-1:123456789012:execution:m:e","Name":"e"},
                 "State":{"Name":"S","EnteredTime":"2026-01-01T00:00:00Z","RetryCount":0},
                 "StateMachine":{"Name":"m"},"Task":{"Token":"token-1"}}""");
        EvalScope scope = new EvalScope(small, context, Map.of("count", Json.parse("3")));
        EvalScope bigScope = new EvalScope(big, context, Map.of());
        JsonNode template = Json.parse("""
                {"source":"step-function","context.$":"$$","input.$":"$","taskToken.$":"$$.Task.Token",
                 "key.$":"States.Format('{}#{}', $.pk, $.sk)","static":{"a":1}}""");
        JsonNode rule = Json.parse("""
                {"And":[{"Variable":"$.version","NumericGreaterThan":2},
                        {"Variable":"$.attributes.color","StringEquals":"blue"}],"Next":"N"}""");
        JsonNode states = EvalScope.jsonataStates(small, null, null, context);
        JsonNode bigStates = EvalScope.jsonataStates(big, null, null, context);
        JsonNode jsonataTemplate = Json.parse("""
                {"id":"{% $states.input.pk & '#' & $states.input.sk %}","next":"{% $states.input.version + 1 %}",
                 "token":"{% $states.context.Task.Token %}"}""");
        Map<String, JsonNode> noVars = Map.of();

        run("JsonPaths.read $.attributes.color", () -> JsonPaths.read("$.attributes.color", scope));
        run("JsonPaths.read $.items[?(@.price > 1400)].id (1,000 items)", () -> JsonPaths.read("$.items[?(@.price > 1400)].id", bigScope));
        run("JsonPaths.applyResultPath $.result.value", () -> JsonPaths.applyResultPath(small, "$.result.value", small));
        run("PayloadTemplates.apply (worker message)", () -> PayloadTemplates.apply(template, scope));
        run("Intrinsics States.Format", () -> Intrinsics.evaluate("States.Format('{}#{}', $.pk, $.sk)", scope));
        run("Intrinsics States.ArrayPartition (1,000 items)", () -> Intrinsics.evaluate("States.ArrayPartition($.items, 100)", bigScope));
        run("ChoiceRules.matches And(2)", () -> ChoiceRules.matches(rule, scope));
        run("Jsonata.evaluate $states.input.version + 1", () -> Jsonata.evaluate("{% $states.input.version + 1 %}", states, noVars));
        run("Jsonata.applyTemplate 3 expressions", () -> Jsonata.applyTemplate(jsonataTemplate, states, noVars));
        run("Jsonata.evaluate $states.input.pk (1,000-item input)", () -> Jsonata.evaluate("{% $states.input.pk %}", bigStates, noVars));
        run("Jsonata.evaluate $sum(items.price) (1,000 items)", () -> Jsonata.evaluate("{% $sum($states.input.items.price) %}", bigStates, noVars));
    }

    private static void run(String name, Supplier<Object> op) {
        for (long end = System.nanoTime() + 1_000_000_000L; System.nanoTime() < end; ) {
            sink = op.get(); // warm-up
        }
        long count = 0;
        long start = System.nanoTime();
        long end = start + 2_000_000_000L;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 100; i++) {
                sink = op.get();
            }
            count += 100;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%-60s %,14.0f ops/s%n", name, count / seconds);
    }
}
