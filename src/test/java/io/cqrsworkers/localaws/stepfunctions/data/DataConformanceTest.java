package io.cqrsworkers.localaws.stepfunctions.data;

import io.cqrsworkers.localaws.stepfunctions.core.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs the data-layer conformance cases in {@code asl-conformance/data/*.json}. Each file is an array of cases:
 * {@code kind} picks the operation, {@code input}/{@code context}/{@code variables} build the scope, and the case
 * expects either {@code expected} (a JSON value), {@code expectedError} ({@code error} plus {@code cause} or
 * {@code causeContains}), {@code invalid} (a definition check must fail with a message containing that text) or
 * {@code matches} (a regular expression the string result must match).
 */
class DataConformanceTest {

    @TestFactory
    Stream<DynamicTest> conformance() throws IOException, URISyntaxException {
        Path dir = Paths.get(getClass().getResource("/asl-conformance/data").toURI());
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode cases;
                try (InputStream in = Files.newInputStream(file)) {
                    cases = Json.MAPPER.readTree(in);
                }
                String prefix = file.getFileName().toString().replace(".json", "");
                for (JsonNode c : cases) {
                    String name = prefix + ": " + c.path("name").asText();
                    tests.add(DynamicTest.dynamicTest(name, () -> runNamed(name, c)));
                }
            }
        }
        assertThat(tests).hasSizeGreaterThanOrEqualTo(150);
        return tests.stream();
    }

    /** Surefire reports dynamic tests by index only, so failures carry the case name themselves. */
    private static void runNamed(String name, JsonNode c) {
        try {
            run(c);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(name + ": " + e.getMessage(), e);
        }
    }

    private static void run(JsonNode c) {
        if (c.has("invalid")) {
            assertThatThrownBy(() -> execute(c)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(c.get("invalid").asText());
            return;
        }
        JsonNode expectedError = c.get("expectedError");
        if (expectedError != null) {
            try {
                JsonNode unexpected = execute(c);
                fail("expected " + expectedError + " but got " + unexpected);
            } catch (StatesError e) {
                assertThat(e.error()).isEqualTo(expectedError.get("error").asText());
                if (expectedError.has("cause")) {
                    assertThat(e.cause()).isEqualTo(expectedError.get("cause").asText());
                }
                if (expectedError.has("causeContains")) {
                    assertThat(e.cause()).contains(expectedError.get("causeContains").asText());
                }
            }
            return;
        }
        JsonNode actual = execute(c);
        if (c.has("matches")) {
            assertThat(actual.isTextual()).as("string result %s", actual).isTrue();
            assertThat(actual.asText()).matches(c.get("matches").asText());
        }
        if (c.has("between")) {
            double value = actual.asDouble();
            assertThat(actual.isNumber()).as("number result %s", actual).isTrue();
            assertThat(value).isBetween(c.get("between").get(0).asDouble(), c.get("between").get(1).asDouble());
        }
        if (c.has("expected")) {
            // compare as JSON text too, so 3 and 3.0 (IntNode vs DoubleNode) are told apart
            assertThat(Json.write(actual)).isEqualTo(Json.write(c.get("expected")));
        }
    }

    private static JsonNode execute(JsonNode c) {
        JsonNode input = c.has("input") ? c.get("input") : Json.MAPPER.createObjectNode();
        JsonNode context = c.has("context") ? c.get("context") : Json.MAPPER.createObjectNode();
        Map<String, JsonNode> variables = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = c.path("variables").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> v = it.next();
            variables.put(v.getKey(), v.getValue());
        }
        EvalScope scope = new EvalScope(input, context, variables);
        String expression = c.path("expression").asText();
        String field = c.hasNonNull("field") ? c.get("field").asText() : null;
        JsonNode states = EvalScope.jsonataStates(input, c.get("result"), c.get("errorOutput"), context);
        return switch (c.get("kind").asText()) {
            case "path" -> JsonPaths.read(expression, scope);
            case "definite" -> bool(JsonPaths.isDefinite(expression));
            case "referencePath" -> {
                JsonPaths.validateReferencePath(expression);
                yield bool(true);
            }
            case "resultPath" -> JsonPaths.applyResultPath(input,
                    c.get("resultPath").isNull() ? null : c.get("resultPath").asText(), c.get("result"));
            case "template" -> PayloadTemplates.apply(c.get("template"), scope);
            case "resolve" -> PayloadTemplates.resolve(field, expression, scope);
            case "timestamp" -> {
                java.time.OffsetDateTime parsed = Timestamps.parse(expression);
                yield Json.MAPPER.getNodeFactory().textNode(parsed == null ? "<invalid>" : parsed.toInstant().toString());
            }
            case "validateTemplate" -> {
                PayloadTemplates.validate(c.get("template"));
                yield bool(true);
            }
            case "intrinsic" -> Intrinsics.evaluate(expression, scope);
            case "validateIntrinsic" -> {
                Intrinsics.validate(expression);
                yield bool(true);
            }
            case "jsonata" -> field == null
                    ? orUndefined(Jsonata.evaluate(expression, states, variables))
                    : Jsonata.evaluate(expression, states, variables, field);
            case "jsonataTyped" -> Jsonata.evaluate(expression, states, variables, field,
                    JsonNodeType.valueOf(c.get("expectedType").asText()));
            case "jsonataTemplate" -> Jsonata.applyTemplate(c.get("template"), states, variables,
                    field == null ? "Output" : field);
            case "validateJsonata" -> {
                Jsonata.validate(expression);
                yield bool(true);
            }
            case "choice" -> bool(ChoiceRules.matches(c.get("rule"), scope));
            case "choiceJsonata" -> bool(ChoiceRules.matchesJsonata(c.get("rule"), states, variables,
                    field == null ? "Condition" : field));
            case "validateChoiceJsonata" -> {
                ChoiceRules.validateJsonata(c.get("rule"));
                yield bool(true);
            }
            case "select" -> JsonPaths.select(c.get("path").isNull() ? null : c.get("path").asText(), scope);
            case "validateChoice" -> {
                ChoiceRules.validate(c.get("rule"));
                yield bool(true);
            }
            default -> throw new IllegalArgumentException("unknown kind " + c.get("kind"));
        };
    }

    private static JsonNode bool(boolean value) {
        return Json.MAPPER.getNodeFactory().booleanNode(value);
    }

    /** The runner's stand-in for JSONata's undefined, so a case can expect it. */
    private static JsonNode orUndefined(JsonNode value) {
        return value == null ? Json.MAPPER.getNodeFactory().textNode("<undefined>") : value;
    }
}
