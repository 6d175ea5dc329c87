package io.cqrsworkers.imports;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** What runs one batch in DIRECT mode: {@link CsvRowsHandler#handle} (a benchmark measures with a counting one). */
@FunctionalInterface
public interface BatchHandler {

    /** @param batchKey names the batch within its job, the same each time the batch is run */
    BatchResult handle(String batchKey, JsonNode batch, List<RowError> rejected);
}
