package io.cqrsworkers.imports;

import io.cqrsworkers.json.Jackson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The built-in import strategy's row rules: columns {@code code} and {@code name} are required; {@code pk} defaults
 * to {@code <TABLE>#<tenant>} and {@code sk} to the code; every other column becomes an attribute. The command is
 * published at version -1 (after the latest).
 */
public final class RowMapping {

    private static final ObjectMapper JSON = Jackson.MAPPER;
    private static final Set<String> KEYS = Set.of("pk", "sk", "code", "name");

    private RowMapping() {
    }

    /** @throws IllegalArgumentException with the reason when the row is invalid */
    public static void validate(JsonNode row) {
        if (row.path("code").asText("").isBlank() || row.path("name").asText("").isBlank()) {
            throw new IllegalArgumentException("code and name are required");
        }
    }

    public static ObjectNode toCommand(JsonNode row, ImportTarget target) {
        validate(row);
        String code = row.path("code").asText();
        ObjectNode command = JSON.createObjectNode();
        command.put("pk", row.path("pk").asText("").isBlank()
                ? target.tableName().toUpperCase() + "#" + target.tenantCode() : row.get("pk").asText());
        command.put("sk", row.path("sk").asText("").isBlank() ? code : row.get("sk").asText());
        command.put("code", code).put("name", row.path("name").asText()).put("tenantCode", target.tenantCode())
                .put("type", target.tableName()).put("version", -1);
        ObjectNode attributes = command.putObject("attributes");
        for (Iterator<Map.Entry<String, JsonNode>> it = row.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!KEYS.contains(field.getKey()) && !field.getKey().isEmpty()) {
                attributes.set(field.getKey(), field.getValue());
            }
        }
        return command;
    }
}
