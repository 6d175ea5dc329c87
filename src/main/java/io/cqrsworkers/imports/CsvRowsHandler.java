package io.cqrsworkers.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.json.Jackson;
import io.cqrsworkers.workflow.StepEvent;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code csv_rows_handler}, shared by both modes: transforms and validates each row of one batch with its table's
 * strategy, sends the valid rows to the import action queue (where they are applied), and counts the batch on the
 * job once: rows read, rows queued, rows failed (refused here or by the strategy, or not queued). Returns
 * {@code {totalRows, succeededRows (= queued), failedRows}}.
 * <p>
 * The bad-row rule of both modes (docs/routes.md, "The bad-row rule"): an item is {@code {"index": i, "value": row}},
 * as the map's ItemSelector makes it from {@code $$.Map.Item.Index} and {@code $$.Map.Item.Value} (DIRECT makes the
 * same): the row as the Distributed Map's CSV reader makes it (short rows padded with empty values, extra columns
 * dropped, blank lines skipped, undecodable bytes as U+FFFD) and its 0-based index in the reader's order. Here the
 * row's keys and values are trimmed and a UTF-8 BOM left in the first header is dropped; a row holding U+FFFD fails
 * as "invalid UTF-8", and the strategy's validation decides the rest. A failed row is reported with its row number,
 * index + 1: the data row as the reader counts rows (header excluded, blank lines skipped).
 */
public final class CsvRowsHandler {

    public static final String BEAN = "csvRowsHandler";
    static final String INVALID_UTF8 = "invalid UTF-8";

    private final ImportStrategies strategies;
    private final ImportActionQueue queue;
    private final ImportJobs jobs;

    public CsvRowsHandler(ImportStrategies strategies, ImportActionQueue queue, ImportJobs jobs) {
        this.strategies = strategies;
        this.queue = queue;
        this.jobs = jobs;
    }

    /** The Distributed Map child's step: the child execution is the batch, the same when the step comes again. */
    public String handleStep(StepEvent step) {
        BatchResult result = handle(step.executionArn(), step.input());
        return Jackson.MAPPER.createObjectNode().put("totalRows", result.totalRows())
                .put("succeededRows", result.succeededRows()).put("failedRows", result.failedRows()).toString();
    }

    /**
     * @param batchKey names the batch within its job, the same each time the batch is run
     * @param batch    {@code {"Items":[...], "BatchInput":{"Attributes": the import request}}}
     */
    public BatchResult handle(String batchKey, JsonNode batch) {
        ImportRequest request = ImportRequest.fromAttributes(batch.path("BatchInput").path("Attributes"));
        ImportTarget target = new ImportTarget(request.tableName(), request.tenantCode(), request.sourceId());
        List<RowError> errors = new ArrayList<>();
        List<JsonNode> valid = new ArrayList<>();
        List<RowRef> refs = new ArrayList<>();
        JsonNode items = batch.path("Items");
        long lastRow = 0;
        for (JsonNode raw : items) {
            long number = raw.path("index").asLong(-1) + 1;
            lastRow = Math.max(lastRow, number);
            JsonNode item = clean(raw.path("value"));
            RowRef ref = new RowRef(number, item.path("code").asText(""));
            try {
                if (item.toString().indexOf('\uFFFD') >= 0) {
                    throw new InvalidRowException(INVALID_UTF8, null);
                }
                JsonNode row = strategies.transform(target, item);
                strategies.validate(target, row);
                valid.add(row);
                refs.add(ref);
            } catch (RuntimeException e) {
                if (RowFailures.isTransient(e)) {
                    throw e;
                }
                errors.add(ref.error(e.getMessage()));
            }
        }
        ImportActionQueue.Sent sent = queue.sendRows(target, batchKey, valid, refs);
        errors.addAll(sent.failed());
        long total = items.size();
        jobs.count(request.sourceId(), readMark(batchKey),
                new ImportJobs.Counts(total, sent.queued(), 0, errors.size(), errors, lastRow));
        return new BatchResult(total, sent.queued(), errors.size(), errors);
    }

    /**
     * A row as reasons name it: its number (index + 1 as the reader counts rows; 0 when unknown) and its code.
     */
    public record RowRef(long number, String code) {

        RowError error(String why) {
            return new RowError(number, "row " + number + " (" + code + "): " + why);
        }
    }

    /** The mark under which a batch's reading is counted once. */
    static String readMark(String batchKey) {
        return batchKey + "/read";
    }

    /** Keys and values trimmed, a UTF-8 BOM left in the first header (AWS's reader keeps it) dropped. */
    private static JsonNode clean(JsonNode item) {
        if (!item.isObject()) {
            return item;
        }
        ObjectNode clean = Jackson.MAPPER.createObjectNode();
        boolean first = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); first = false) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = first && field.getKey().startsWith("\uFEFF") ? field.getKey().substring(1) : field.getKey();
            JsonNode value = field.getValue();
            clean.set(key.trim(), value.isTextual() ? clean.textNode(value.asText().trim()) : value);
        }
        return clean;
    }
}
