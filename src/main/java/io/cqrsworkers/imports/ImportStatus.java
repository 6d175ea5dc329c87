package io.cqrsworkers.imports;

/** The original's import statuses. */
public enum ImportStatus {
    CREATED, QUEUED, PROCESSING, COMPLETED, FAILED
}
