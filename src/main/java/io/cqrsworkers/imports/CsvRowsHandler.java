package io.cqrsworkers.imports;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.command.CommandService;
import io.cqrsworkers.command.PublishOptions;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code csv_rows_handler}, shared by both modes: maps and validates each row of one batch, in order, applies it
 * as a synchronous command publish with the job as source (an unchanged row is EQUAL and skipped, so a redelivered
 * batch changes nothing), and adds the batch's counts to the job. Returns {@code {totalRows, succeededRows,
 * failedRows}}.
 */
public final class CsvRowsHandler {

    private final CommandService commands;
    private final ImportJobs jobs;

    public CsvRowsHandler(CommandService commands, ImportJobs jobs) {
        this.commands = commands;
        this.jobs = jobs;
    }

    /** @param rejected rows the reader already refused (they are counted, not applied) */
    public BatchResult handle(JsonNode batch, List<RowError> rejected) {
        ImportRequest request = ImportRequest.fromAttributes(batch.path("BatchInput").path("Attributes"));
        PublishOptions options = new PublishOptions(request.sourceId(), null, "import", null, true);
        List<RowError> errors = new ArrayList<>(rejected);
        long succeeded = 0;
        JsonNode items = batch.path("Items");
        for (int i = 0; i < items.size(); i++) {
            try {
                commands.publish(request.tableName(), RowMapping.toCommand(items.get(i), request), options);
                succeeded++;
            } catch (RuntimeException e) {
                errors.add(new RowError(0, "item " + i + " of its batch (" + items.get(i).path("code").asText("")
                        + "): " + e.getMessage()));
            }
        }
        BatchResult result = new BatchResult(items.size() + rejected.size(), succeeded,
                items.size() - succeeded + rejected.size(), errors);
        jobs.count(request.sourceId(), result);
        return result;
    }
}
