package io.cqrsworkers.imports;

import io.cqrsworkers.json.Jackson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/** The CSV import request ({@code CreateCsvImportDto}); it becomes every batch's {@code BatchInput.Attributes}. */
public record ImportRequest(String processingMode, String bucket, String key, String tableName, String tenantCode,
                            String sourceId) {

    private static final ObjectMapper JSON = Jackson.MAPPER;

    public static ImportRequest parse(JsonNode body) {
        List<String> problems = new ArrayList<>();
        for (String field : List.of("bucket", "key", "tableName", "tenantCode")) {
            if (body.path(field).asText("").isBlank()) {
                problems.add(field + " is required");
            }
        }
        String mode = body.path("processingMode").asText("DIRECT");
        if (!mode.equals("DIRECT") && !mode.equals("STEP_FUNCTION")) {
            problems.add("processingMode must be DIRECT or STEP_FUNCTION");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new ImportRequest(mode, body.get("bucket").asText(), body.get("key").asText(),
                body.get("tableName").asText(), body.get("tenantCode").asText(), null);
    }

    public ImportRequest withSourceId(String id) {
        return new ImportRequest(processingMode, bucket, key, tableName, tenantCode, id);
    }

    public ObjectNode toJson() {
        ObjectNode json = JSON.createObjectNode();
        json.put("processingMode", processingMode).put("bucket", bucket).put("key", key)
                .put("tableName", tableName).put("tenantCode", tenantCode);
        if (sourceId != null) {
            json.put("sourceId", sourceId);
        }
        return json;
    }

    public static ImportRequest fromAttributes(JsonNode attributes) {
        return new ImportRequest(attributes.path("processingMode").asText("DIRECT"), attributes.path("bucket").asText(),
                attributes.path("key").asText(), attributes.path("tableName").asText(),
                attributes.path("tenantCode").asText(), attributes.path("sourceId").asText(null));
    }
}
