package io.cqrsworkers.imports;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Applies a {@code csv-batch-process} message's rows in order with the table's strategy. A row the strategy or the
 * command pipeline refuses is counted as failed with the reason and the rest goes on; a transient failure (AWS
 * unavailable) is rethrown so that SQS delivers the message again (rows already applied then compare EQUAL), until
 * the queue's maxReceiveCount moves it to its DLQ. The message is counted on the job once, under its batchKey.
 */
public final class CsvBatchProcessor {

    public static final String BEAN = "csvBatchProcessor";

    private final RowImporter importer;
    private final ImportJobs jobs;

    public CsvBatchProcessor(RowImporter importer, ImportJobs jobs) {
        this.importer = importer;
        this.jobs = jobs;
    }

    /** @param messageId counts the message when it carries no batchKey (SQS keeps the id across deliveries) */
    public void process(JsonNode message, String messageId) {
        ImportTarget target = new ImportTarget(message.path("tableName").asText(), message.path("tenantCode").asText(),
                message.path("sourceId").asText());
        JsonNode items = message.path("items");
        List<JsonNode> rows = new ArrayList<>(items.size());
        items.forEach(rows::add);
        List<RuntimeException> failures = importer.applyAll(target, rows);
        long succeeded = 0;
        List<RowError> errors = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (failures.get(i) == null) {
                succeeded++;
            } else {
                errors.add(ref(message, i).error(failures.get(i).getMessage()));
            }
        }
        jobs.count(target.sourceId(), message.path("batchKey").asText(messageId),
                new ImportJobs.Counts(0, 0, succeeded, errors.size(), errors));
    }

    /** The i-th item of a {@code csv-batch-process} message as reasons name it: its row number and code. */
    static CsvRowsHandler.RowRef ref(JsonNode message, int i) {
        return new CsvRowsHandler.RowRef(message.path(ImportActionQueue.ROW_NUMBERS).path(i).asLong(0),
                message.path("items").path(i).path("code").asText(""));
    }
}
