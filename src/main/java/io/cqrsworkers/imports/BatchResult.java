package io.cqrsworkers.imports;

import java.util.List;

/** The outcome of one batch: {@code csv_rows_handler}'s output, with the reasons of its failed rows. */
public record BatchResult(long totalRows, long succeededRows, long failedRows, List<RowError> errors) {
}
