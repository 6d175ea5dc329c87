package io.cqrsworkers.infra;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves the placeholders of a state machine definition with the semantics of the service's local Provisioner
 * ({@code io.cqrsworkers.resources.Provisioner#substitute}), so a machine in AWS gets the definition the embedded
 * engine runs:
 * <ul>
 *   <li>{@code ${queueUrl:<queue>}}, {@code ${table:<table>}}, {@code ${bucket:<bucket>}}: replaced in the text by the
 *   resource's URL or physical name (here a CDK token, which CloudFormation resolves);</li>
 *   <li>a JSON string that is exactly {@code ${config:<key>}} or {@code ${config:<key>:<default>}}: replaced by the
 *   setting, or the default when the setting is unset or blank, as a JSON <em>number</em> when it is one.</li>
 * </ul>
 * Unlike the Provisioner, which only finds out at CreateStateMachine time, anything else fails here, at synth: an
 * unknown kind of placeholder, a queue, table or bucket that resources.yaml does not describe, a setting with no value
 * and no default, or a {@code ${...}} left anywhere in the result.
 */
public final class AslDefinitions {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Any placeholder, whatever its kind: the kinds we do not know must fail, not pass through. */
    private static final Pattern ANY = Pattern.compile("\\$\\{([A-Za-z]+):([^}]*)}");
    private static final Pattern SETTING = Pattern.compile("\\$\\{config:([^}:]+)(?::([^}]*))?}");

    /** What the names resolve to: by kind ("queueUrl", "table", "bucket") and logical name; null = unknown. */
    public interface Names {
        String resolve(String kind, String logicalName);
    }

    /** The resolved definition and the settings it used (key to value), for the service to get the same values. */
    public record Resolved(String json, Map<String, String> settings, JsonNode tree) {
    }

    private AslDefinitions() {
    }

    public static Resolved resolve(String source, String definition, Names names, Function<String, String> config) {
        String named = substituteNames(source, definition, names);
        JsonNode tree;
        try {
            tree = JSON.readTree(named);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + " is not JSON: " + e.getOriginalMessage(), e);
        }
        Map<String, String> used = new LinkedHashMap<>();
        tree = substituteSettings(source, tree, config, used);
        String json = tree.toString();
        Matcher left = Pattern.compile("\\$\\{(?!Token\\[)").matcher(json);
        if (left.find()) {
            int from = Math.max(0, left.start() - 40);
            throw new IllegalStateException(source + ": unresolved placeholder near \""
                    + json.substring(from, Math.min(json.length(), left.start() + 60)) + "\" (a ${config:...} must be "
                    + "the whole JSON string; a name placeholder must be ${queueUrl:..}, ${table:..} or ${bucket:..})");
        }
        return new Resolved(json, used, tree);
    }

    private static String substituteNames(String source, String definition, Names names) {
        Matcher m = ANY.matcher(definition);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String kind = m.group(1);
            String name = m.group(2);
            String value;
            switch (kind) {
                case "config" -> value = m.group(); // handled on the parsed tree
                case "queueUrl", "table", "bucket" -> {
                    value = names.resolve(kind, name);
                    if (value == null) {
                        throw new IllegalStateException(source + ": ${" + kind + ":" + name + "} names no " + kind
                                + " of " + ResourceModel.LOCATION);
                    }
                }
                default -> throw new IllegalStateException(source + ": unknown placeholder ${" + kind + ":" + name
                        + "} (known: queueUrl, table, bucket, config)");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static JsonNode substituteSettings(String source, JsonNode node, Function<String, String> config,
                                               Map<String, String> used) {
        if (node.isTextual()) {
            Matcher m = SETTING.matcher(node.textValue());
            if (!m.matches()) {
                return node;
            }
            String key = m.group(1);
            String value = config.apply(key);
            if (value == null || value.isBlank()) {
                value = m.group(2);
            }
            if (value == null) {
                throw new IllegalStateException(source + ": setting " + key + " is not set and has no default");
            }
            used.put(key, value.trim());
            try {
                return JSON.getNodeFactory().numberNode(new BigDecimal(value.trim()));
            } catch (NumberFormatException text) {
                return JSON.getNodeFactory().textNode(value);
            }
        }
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            List<String> fields = new ArrayList<>();
            object.fieldNames().forEachRemaining(fields::add);
            fields.forEach(f -> object.set(f, substituteSettings(source, object.get(f), config, used)));
        } else if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                array.set(i, substituteSettings(source, array.get(i), config, used));
            }
        }
        return node;
    }

    /** The Map states of a definition, nested ones included, in document order. */
    public static List<JsonNode> mapStates(JsonNode definition) {
        List<JsonNode> maps = new ArrayList<>();
        collectMaps(definition, maps);
        return maps;
    }

    private static void collectMaps(JsonNode node, List<JsonNode> maps) {
        JsonNode states = node.path("States");
        states.fields().forEachRemaining(e -> {
            JsonNode state = e.getValue();
            if ("Map".equals(state.path("Type").asText())) {
                maps.add(state);
                collectMaps(state.has("ItemProcessor") ? state.get("ItemProcessor") : state.path("Iterator"), maps);
            } else if ("Parallel".equals(state.path("Type").asText())) {
                state.path("Branches").forEach(b -> collectMaps(b, maps));
            }
        });
    }

    public static boolean isDistributed(JsonNode mapState) {
        return "DISTRIBUTED".equals(mapState.path("ItemProcessor").path("ProcessorConfig").path("Mode").asText());
    }
}
