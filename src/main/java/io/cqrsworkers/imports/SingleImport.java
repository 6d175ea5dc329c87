package io.cqrsworkers.imports;

import io.cqrsworkers.json.Jackson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A single-row import ({@code IMPORT#<tenant>}, the row in its attributes, the target table as its type): PROCESSING,
 * then the table's strategy transforms, validates and applies the row; the import becomes COMPLETED with the
 * command as its result (or {@code {status:"EQUAL"}} when nothing changed), or FAILED with the reason. A transient
 * failure is rethrown so that the queue delivers the message again.
 */
public final class SingleImport {

    public static final String BEAN = "singleImport";

    private static final ObjectMapper JSON = Jackson.MAPPER;

    private final ImportStrategies strategies;
    private final RowImporter importer;
    private final ImportJobs jobs;

    public SingleImport(ImportStrategies strategies, RowImporter importer, ImportJobs jobs) {
        this.strategies = strategies;
        this.importer = importer;
        this.jobs = jobs;
    }

    /** @param messageId its message: another message for the same import (queued twice) is ignored */
    public void process(String id, String messageId) {
        ObjectNode job = jobs.claim(id, messageId).orElse(null);
        if (job == null) {
            return;
        }
        ImportTarget target = new ImportTarget(job.path("type").asText(), job.path("tenantCode").asText(), id);
        try {
            JsonNode row = strategies.transform(target, job.path("attributes"));
            strategies.validate(target, row);
            jobs.status(id, ImportStatus.COMPLETED, importer.apply(target, row), ImportStatus.PROCESSING);
        } catch (RuntimeException e) {
            if (RowFailures.isTransient(e)) {
                throw e;
            }
            ObjectNode result = JSON.createObjectNode();
            result.putObject("error").put("message", String.valueOf(e.getMessage()));
            jobs.status(id, ImportStatus.FAILED, result, ImportStatus.PROCESSING);
        }
    }
}
