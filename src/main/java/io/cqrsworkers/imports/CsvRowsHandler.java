package io.cqrsworkers.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code csv_rows_handler}, shared by both modes: transforms and validates each row of one batch with its table's
 * strategy, sends the valid rows to the import action queue (where they are applied), and counts the batch on the
 * job once: rows read, rows queued, rows failed (refused by the reader or the strategy, or not queued). Returns
 * {@code {totalRows, succeededRows (= queued), failedRows}}.
 */
public final class CsvRowsHandler {

    private final ImportStrategies strategies;
    private final ImportActionQueue queue;
    private final ImportJobs jobs;

    public CsvRowsHandler(ImportStrategies strategies, ImportActionQueue queue, ImportJobs jobs) {
        this.strategies = strategies;
        this.queue = queue;
        this.jobs = jobs;
    }

    /** @param rejected rows the reader already refused (they are counted, not applied) */
    public BatchResult handle(String batchKey, JsonNode batch, List<RowError> rejected) {
        ImportRequest request = ImportRequest.fromAttributes(batch.path("BatchInput").path("Attributes"));
        ImportTarget target = new ImportTarget(request.tableName(), request.tenantCode(), request.sourceId());
        List<RowError> errors = new ArrayList<>(rejected);
        List<JsonNode> valid = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        JsonNode items = batch.path("Items");
        for (int i = 0; i < items.size(); i++) {
            String label = label(i, items.get(i));
            try {
                JsonNode row = strategies.transform(target, withoutBom(items.get(i)));
                strategies.validate(target, row);
                valid.add(row);
                labels.add(label);
            } catch (RuntimeException e) {
                if (RowFailures.isTransient(e)) {
                    throw e;
                }
                errors.add(new RowError(0, label + ": " + e.getMessage()));
            }
        }
        ImportActionQueue.Sent sent = queue.sendRows(target, batchKey, valid, labels);
        errors.addAll(sent.failed());
        long total = items.size() + rejected.size();
        jobs.count(request.sourceId(), readMark(batchKey),
                new ImportJobs.Counts(total, sent.queued(), 0, errors.size(), errors));
        return new BatchResult(total, sent.queued(), errors.size(), errors);
    }

    /** The mark under which a batch's reading is counted once. */
    static String readMark(String batchKey) {
        return batchKey + "/read";
    }

    /** A UTF-8 BOM the Distributed Map's CSV reader may leave in the first header (DIRECT's reader drops it). */
    private static JsonNode withoutBom(JsonNode item) {
        if (!item.isObject() || item.isEmpty() || !item.fieldNames().next().startsWith("\uFEFF")) {
            return item;
        }
        ObjectNode clean = item.deepCopy();
        String first = item.fieldNames().next();
        ObjectNode ordered = JsonNodeFactory.instance.objectNode();
        ordered.set(first.substring(1), clean.remove(first));
        ordered.setAll(clean);
        return ordered;
    }

    /** How a row is named in a reason: its place in the batch (Distributed Map items carry no line) and code. */
    static String label(int index, JsonNode row) {
        return "item " + index + " of its batch (" + row.path("code").asText("") + ")";
    }
}
