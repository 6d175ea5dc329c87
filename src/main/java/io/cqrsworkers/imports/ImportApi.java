package io.cqrsworkers.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.api.JsonResponses;
import io.cqrsworkers.json.Jackson;

import java.util.UUID;

/** The import API's steps ({@link ImportRoutes}): it only writes import rows; their stream record queues them. */
public final class ImportApi {

    public static final String BEAN = "importApi";

    private final ImportJobs jobs;

    public ImportApi(ImportJobs jobs) {
        this.jobs = jobs;
    }

    /** Writes a CREATED single-row import of the row (a JSON object) into {@code tableName}. */
    public ObjectNode importRow(String tableName, String tenantCode, String body) throws JsonProcessingException {
        if (tenantCode == null || tenantCode.isBlank()) {
            throw new IllegalArgumentException("Query parameter 'tenantCode' is required");
        }
        JsonNode row = Jackson.MAPPER.readTree(body);
        if (row == null || !row.isObject()) {
            throw new IllegalArgumentException("The body must be a JSON object: the row");
        }
        return jobs.createSingle(tableName, tenantCode, row);
    }

    /** Where an uploaded CSV is stored before it is imported. */
    public String uploadKey(String tenantCode) {
        return "csv-imports/" + tenantCode + "/" + UUID.randomUUID() + ".csv";
    }

    /** The request of an uploaded CSV, stored at bucket/key. */
    public String uploaded(String bucket, String key, String tableName, String tenantCode, String processingMode) {
        return Jackson.MAPPER.createObjectNode().put("bucket", bucket).put("key", key).put("tableName", tableName)
                .put("tenantCode", tenantCode).put("processingMode", processingMode == null ? "DIRECT" : processingMode)
                .toString();
    }

    /** Writes a CREATED CSV job for the request (JSON text); its stream record queues it. */
    public ObjectNode startCsv(String body) throws JsonProcessingException {
        JsonNode request = Jackson.MAPPER.readTree(body == null ? "" : body);
        if (request == null || !request.isObject()) {
            throw new IllegalArgumentException("The body must be a JSON object: {bucket, key, tableName, tenantCode, "
                    + "processingMode}");
        }
        return jobs.create(ImportRequest.parse(request), ImportStatus.CREATED);
    }

    /** Any import (single row or CSV job), or the 404 answer. */
    public JsonNode find(String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("Query parameter 'id' is required");
        }
        return jobs.get(id).<JsonNode>map(job -> job).orElse(null);
    }

    public ObjectNode notFound(String id) {
        return JsonResponses.errorBody(404, "No import " + id);
    }

    public ObjectNode badRequest(String message) {
        return JsonResponses.errorBody(400, message);
    }
}
