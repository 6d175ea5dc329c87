package io.cqrsworkers.imports;

/**
 * A rejected row: its number as the CSV reader counts rows (1-based, the header not counted, blank lines skipped; 0
 * when a message names no row) and why.
 */
public record RowError(long row, String reason) {
}
