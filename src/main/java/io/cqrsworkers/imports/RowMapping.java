package io.cqrsworkers.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The default import strategy of a target table (the command module of the same name): transform + validate + map
 * a CSV row to a command. Columns {@code code} and {@code name} are required; {@code pk} defaults to
 * {@code <TABLE>#<tenant>} and {@code sk} to the code; every other column becomes an attribute. The command is
 * published at version -1 (latest), so an unchanged row is EQUAL and writes nothing.
 */
public final class RowMapping {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KEYS = Set.of("pk", "sk", "code", "name");

    private RowMapping() {
    }

    /** @throws IllegalArgumentException with the reason when the row is invalid */
    public static ObjectNode toCommand(JsonNode row, ImportRequest request) {
        String code = row.path("code").asText("");
        String name = row.path("name").asText("");
        if (code.isBlank() || name.isBlank()) {
            throw new IllegalArgumentException("code and name are required");
        }
        ObjectNode command = JSON.createObjectNode();
        command.put("pk", row.path("pk").asText("").isBlank()
                ? request.tableName().toUpperCase() + "#" + request.tenantCode() : row.get("pk").asText());
        command.put("sk", row.path("sk").asText("").isBlank() ? code : row.get("sk").asText());
        command.put("code", code).put("name", name).put("tenantCode", request.tenantCode())
                .put("type", request.tableName()).put("version", -1);
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
