package io.cqrsworkers.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Template;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Synthesizes the stack for the tests, once per set of context values: an App built with the feature flags of
 * cdk.json (an App in a test does not read cdk.json) plus the test's values, cdk-nag included.
 */
final class Synth {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Map<String, String>, Synth> CACHE = new ConcurrentHashMap<>();

    final CqrsWorkersStack stack;
    final Template template;
    final JsonNode json;

    private Synth(Map<String, String> extra) {
        Map<String, Object> context = new HashMap<>(cdkJsonContext());
        context.putAll(extra);
        App app = new App(AppProps.builder().context(context).build());
        stack = InfraApp.build(app);
        template = Template.fromStack(stack);
        json = JSON.valueToTree(template.toJSON());
    }

    /** The default environment (dev-cqrs-), a new VPC. */
    static Synth standard() {
        return of(Map.of());
    }

    static Synth of(Map<String, String> context) {
        return CACHE.computeIfAbsent(context, Synth::new);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> cdkJsonContext() {
        try {
            Map<String, Object> cdkJson = JSON.readValue(Files.readString(Path.of("cdk.json")), Map.class);
            return (Map<String, Object>) cdkJson.get("context");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path repoRoot() {
        return Settings.repoRoot(null);
    }

    static ResourceModel model() {
        return ResourceModel.load(repoRoot());
    }

    /** Resources of a type, by logical id. */
    Map<String, JsonNode> resources(String type) {
        Map<String, JsonNode> found = new java.util.LinkedHashMap<>();
        json.path("Resources").fields().forEachRemaining(e -> {
            if (type.equals(e.getValue().path("Type").asText())) {
                found.put(e.getKey(), e.getValue());
            }
        });
        return found;
    }

    /** The one resource of a type whose property {@code name} has the value. */
    JsonNode byProperty(String type, String property, String value) {
        List<JsonNode> matches = resources(type).values().stream()
                .filter(r -> value.equals(r.path("Properties").path(property).asText())).toList();
        if (matches.size() != 1) {
            throw new AssertionError(matches.size() + " " + type + " with " + property + " = " + value);
        }
        return matches.get(0);
    }

    String logicalIdOf(String type, String property, String value) {
        Iterator<Map.Entry<String, JsonNode>> it = json.path("Resources").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (type.equals(e.getValue().path("Type").asText())
                    && value.equals(e.getValue().path("Properties").path(property).asText())) {
                return e.getKey();
            }
        }
        throw new AssertionError("no " + type + " with " + property + " = " + value);
    }

    static String prefix() {
        return "dev-cqrs-";
    }
}
