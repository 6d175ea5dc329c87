package io.cqrsworkers.imports;

import java.util.ArrayList;
import java.util.List;

/** The outcome of one batch ({@code csv_rows_handler}'s output), or of a whole job when summed. */
public record BatchResult(long totalRows, long succeededRows, long failedRows, List<RowError> errors) {

    public static final BatchResult EMPTY = new BatchResult(0, 0, 0, List.of());

    public BatchResult plus(BatchResult other) {
        List<RowError> all = new ArrayList<>(errors);
        all.addAll(other.errors);
        return new BatchResult(totalRows + other.totalRows, succeededRows + other.succeededRows,
                failedRows + other.failedRows, all.subList(0, Math.min(all.size(), ImportJobs.MAX_ROW_ERRORS)));
    }
}
