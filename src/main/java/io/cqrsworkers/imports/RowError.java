package io.cqrsworkers.imports;

/** A rejected row: its line in the file (0 when unknown) and why. */
public record RowError(long line, String reason) {
}
