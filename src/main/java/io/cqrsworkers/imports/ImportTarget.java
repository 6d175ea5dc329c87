package io.cqrsworkers.imports;

/** Where rows go: the target table (command module), the tenant, and the import they come from (the source). */
public record ImportTarget(String tableName, String tenantCode, String sourceId) {
}
