package io.cqrsworkers.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.json.Jackson;

import java.util.ArrayList;
import java.util.List;

/**
 * A ZIP import request ({@code POST /api/imports/zip}): the archive at bucket/key, the tenant, the mode of every CSV
 * job, and the target table. Without a table each file names its own, as {@code <14 digits>-<table>.csv} (the
 * original's rule; the digits, a timestamp, also give the order).
 */
public record ZipImportRequest(String bucket, String key, String tableName, String tenantCode,
                               String processingMode) {

    public static ZipImportRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("The body must be a JSON object: {bucket, key, tableName, tenantCode, "
                    + "processingMode}");
        }
        List<String> problems = new ArrayList<>();
        for (String field : List.of("bucket", "key", "tenantCode")) {
            if (body.path(field).asText("").isBlank()) {
                problems.add(field + " is required");
            }
        }
        String tenant = body.path("tenantCode").asText("");
        if (tenant.contains("/") || tenant.contains("#")) {
            // the tenant is a segment of the files' keys and of the job's pk
            problems.add("tenantCode must not contain '/' or '#'");
        }
        String mode = body.path("processingMode").asText("DIRECT");
        if (!mode.equals("DIRECT") && !mode.equals("STEP_FUNCTION")) {
            problems.add("processingMode must be DIRECT or STEP_FUNCTION");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        String table = body.path("tableName").asText("");
        return new ZipImportRequest(body.get("bucket").asText(), body.get("key").asText(),
                table.isBlank() ? null : table, tenant, mode);
    }

    public ObjectNode toJson() {
        ObjectNode json = Jackson.MAPPER.createObjectNode().put("bucket", bucket).put("key", key)
                .put("tenantCode", tenantCode).put("processingMode", processingMode);
        if (tableName != null) {
            json.put("tableName", tableName);
        }
        return json;
    }

    public static ZipImportRequest fromAttributes(JsonNode attributes) {
        return new ZipImportRequest(attributes.path("bucket").asText(), attributes.path("key").asText(),
                attributes.path("tableName").asText(null), attributes.path("tenantCode").asText(),
                attributes.path("processingMode").asText("DIRECT"));
    }
}
