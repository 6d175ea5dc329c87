package io.cqrsworkers.imports;

import io.cqrsworkers.json.Jackson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.aws.DynamoJson;
import io.cqrsworkers.notification.Notifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Import rows in {@code import_tmp}: CSV jobs (pk {@code CSV_IMPORT#<tenant>}) and single-row imports (pk
 * {@code IMPORT#<tenant>}), sk {@code <table>#<unique id>}, id {@code pk#sk}.
 * <p>
 * A CSV job counts rows as they are read ({@code readRows}), queued, applied ({@code succeededRows}) or rejected
 * ({@code failedRows}); {@code processedRows} = applied + rejected. Each contribution is counted once: it is an atomic
 * ADD in one transaction with a marker item named after the contribution (a batch, a message), so a redelivered
 * message or a re-run batch does not count twice. When the reader has finished, {@code totalRows} is known, and the
 * job becomes COMPLETED (or FAILED if a row failed) once {@code processedRows == totalRows}: whichever of "reader
 * finished" and "last row processed" comes second completes it, under a condition on the status so only one does.
 * Rejected rows keep their row number (0 when unknown) and reason in {@code rowErrors} (the first
 * {@value #MAX_ROW_ERRORS}).
 * <p>
 * {@code lastRow} is the highest row number the reader gave a row: the count of rows it saw once it is done. The
 * total is {@code readRows}; a reader that finished with the two different (rows numbered but never counted, or
 * counted twice) fails the job with both numbers instead of completing it with a total that the failed rows' numbers
 * contradict.
 */
public final class ImportJobs {

    public static final String BEAN = "importJobs";

    public static final String CSV_PREFIX = "CSV_IMPORT#";
    public static final String SINGLE_PREFIX = "IMPORT#";
    /** ZIP master jobs (the Zip* classes): read, claimed and moved by status here too. */
    public static final String ZIP_PREFIX = "ZIP_IMPORT#";
    /** Markers of counted contributions; they expire after a while (ttl). */
    private static final String MARK_PREFIX = "COUNTED#";
    /** Why a message's last delivery failed (see {@link #deliveryFailed}); expires like the markers. */
    private static final String FAILURE_PREFIX = "DELIVERY_FAILED#";
    private static final Duration MARK_TTL = Duration.ofDays(14);
    static final int MAX_ROW_ERRORS = 100;
    private static final ObjectMapper JSON = Jackson.MAPPER;
    private static final Logger LOG = LoggerFactory.getLogger(ImportJobs.class);

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Notifier notifier;

    public ImportJobs(DynamoDbClient dynamoDb, String table, Notifier notifier) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.notifier = notifier;
    }

    /**
     * One contribution to a job's counters.
     *
     * @param lastRow the highest row number among the rows read (0: none read here)
     */
    public record Counts(long read, long queued, long succeeded, long failed, List<RowError> errors, long lastRow) {

        public Counts(long read, long queued, long succeeded, long failed, List<RowError> errors) {
            this(read, queued, succeeded, failed, errors, 0);
        }
    }

    /**
     * Writes a CSV job for the request and returns it. CREATED jobs are started by the import stream (API); a job
     * created PROCESSING is run by its creator and the stream leaves it alone.
     */
    public ObjectNode create(ImportRequest request, ImportStatus status) {
        ObjectNode job = csvJob(request, uniqueSk(request.tableName()), status);
        put(job);
        return job;
    }

    /**
     * Writes a CREATED CSV job under the given sk unless a row of that id exists (a step run again finds the job it
     * wrote before); {@code extra} adds fields, e.g. a ZIP file's source and task token. The import stream starts it
     * as it starts the API's jobs.
     *
     * @return the job written, empty when it existed
     */
    public Optional<ObjectNode> createOnce(ImportRequest request, String sk, Consumer<ObjectNode> extra) {
        ObjectNode job = csvJob(request, sk, ImportStatus.CREATED);
        extra.accept(job);
        try {
            put(job);
            return Optional.of(job);
        } catch (ConditionalCheckFailedException exists) {
            return Optional.empty();
        }
    }

    private static ObjectNode csvJob(ImportRequest request, String sk, ImportStatus status) {
        ObjectNode job = row(CSV_PREFIX + request.tenantCode(), sk, "CSV_MASTER_JOB", request.tenantCode(), status);
        job.set("attributes", request.toJson());
        job.put("totalRows", 0).put("readRows", 0).put("queuedRows", 0).put("processedRows", 0)
                .put("succeededRows", 0).put("failedRows", 0).put("readerDone", false);
        job.putArray("rowErrors");
        return job;
    }

    /** Writes a CREATED single-row import of {@code row} into {@code tableName}. */
    public ObjectNode createSingle(String tableName, String tenantCode, JsonNode row) {
        ObjectNode job = row(SINGLE_PREFIX + tenantCode, uniqueSk(tableName), tableName, tenantCode,
                ImportStatus.CREATED);
        job.set("attributes", row);
        put(job);
        return job;
    }

    /** {@code <prefix>#<unique>}, time-ordered like the original's ulid. */
    public static String uniqueSk(String prefix) {
        return prefix + "#" + String.format("%013d", System.currentTimeMillis()) + "-"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    static ObjectNode row(String pk, String sk, String type, String tenantCode, ImportStatus status) {
        String now = Instant.now().toString();
        ObjectNode job = JSON.createObjectNode();
        job.put("pk", pk).put("sk", sk).put("id", pk + "#" + sk).put("type", type).put("tenantCode", tenantCode)
                .put("status", status.name()).put("createdAt", now).put("updatedAt", now);
        return job;
    }

    /** Writes a new import row; a row of that id must not exist. */
    public void put(ObjectNode job) {
        dynamoDb.putItem(b -> b.tableName(table).item(DynamoJson.toItem(job))
                .conditionExpression("attribute_not_exists(pk)"));
    }

    public Optional<ObjectNode> get(String id) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).consistentRead(true)
                .key(key(id))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(DynamoJson.fromItem(item));
    }

    /**
     * Moves the row to {@code status} if it is in one of {@code from} (any status when empty), stores the result
     * (when given) and sends {@code import-status} ({@code updateStatus} of the original).
     *
     * @return false when the row was not in one of {@code from}
     */
    public boolean status(String id, ImportStatus status, JsonNode result, ImportStatus... from) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":s", s(status.name()), ":now", now()));
        Map<String, String> names = new HashMap<>(Map.of("#s", "status"));
        StringBuilder update = new StringBuilder("SET #s = :s, updatedAt = :now");
        if (result != null) {
            update.append(", #r = :r");
            names.put("#r", "result");
            values.put(":r", DynamoJson.toValue(result));
        }
        StringBuilder condition = new StringBuilder("attribute_exists(pk)");
        for (int i = 0; i < from.length; i++) {
            condition.append(i == 0 ? " AND #s IN (" : ", ").append(":f").append(i);
            values.put(":f" + i, s(from[i].name()));
        }
        if (from.length > 0) {
            condition.append(")");
        }
        try {
            dynamoDb.updateItem(b -> b.tableName(table).key(key(id)).updateExpression(update.toString())
                    .conditionExpression(condition.toString()).expressionAttributeNames(names)
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException elsewhere) {
            return false;
        }
        announce(get(id).orElseThrow(), status, result);
        return true;
    }

    /** The {@code import-status} notification of a status written. */
    private void announce(JsonNode job, ImportStatus status, JsonNode result) {
        ObjectNode content = JSON.createObjectNode().put("status", status.name());
        content.set("attributes", job.get("attributes"));
        content.set("result", result);
        notifier.notify("import-status", table, job.get("pk").asText(), job.get("sk").asText(), content);
    }

    /**
     * Claims an import row for the start message {@code messageId}: PROCESSING, and the message's id kept, if it is
     * QUEUED, or PROCESSING under the same message (SQS delivers a message again with its id: the service stopped
     * while running it). Another message for the same row (the stream queued it twice) gets nothing, so a row runs
     * once even when its message was sent twice.
     *
     * @return the row as it was before (its status tells a first run from a resumed one); empty when not claimed
     */
    public Optional<ObjectNode> claim(String id, String messageId) {
        Map<String, AttributeValue> old;
        try {
            old = dynamoDb.updateItem(b -> b.tableName(table).key(key(id))
                    .updateExpression("SET #s = :p, startMessageId = :m, updatedAt = :now")
                    .conditionExpression("#s = :q OR (#s = :p AND (startMessageId = :m "
                            + "OR attribute_not_exists(startMessageId)))")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":p", s(ImportStatus.PROCESSING.name()),
                            ":q", s(ImportStatus.QUEUED.name()), ":m", s(messageId), ":now", now()))
                    .returnValues(ReturnValue.ALL_OLD)).attributes();
        } catch (ConditionalCheckFailedException taken) {
            return Optional.empty();
        }
        ObjectNode before = DynamoJson.fromItem(old);
        if (ImportStatus.QUEUED.name().equals(before.path("status").asText())) {
            announce(before, ImportStatus.PROCESSING, null);
        }
        return Optional.of(before);
    }

    /**
     * Adds one contribution to the job's counters unless the contribution {@code mark} was counted before, then
     * completes the job if this was its last row.
     *
     * @return false when {@code mark} had already been counted (or the job is gone)
     */
    public boolean count(String id, String mark, Counts counts) {
        if (counts.lastRow() > 0) {
            // before the count, so a delivery killed in between does it again (it is idempotent)
            reachedRow(id, counts.lastRow());
        }
        Map<String, AttributeValue> markItem = new HashMap<>(Map.of("pk", s(MARK_PREFIX + id), "sk", s(mark),
                "ttl", n(Instant.now().plus(MARK_TTL).getEpochSecond())));
        try {
            dynamoDb.transactWriteItems(t -> t.transactItems(
                    i -> i.put(p -> p.tableName(table).item(markItem).conditionExpression("attribute_not_exists(pk)")),
                    i -> i.update(u -> u.tableName(table).key(key(id)).conditionExpression("attribute_exists(pk)")
                            .updateExpression("ADD readRows :r, queuedRows :q, succeededRows :s, failedRows :f, "
                                    + "processedRows :p SET updatedAt = :now")
                            .expressionAttributeValues(Map.of(":r", n(counts.read()), ":q", n(counts.queued()),
                                    ":s", n(counts.succeeded()), ":f", n(counts.failed()),
                                    ":p", n(counts.succeeded() + counts.failed()), ":now", now())))));
        } catch (TransactionCanceledException e) {
            List<String> codes = e.cancellationReasons().stream().map(CancellationReason::code).toList();
            if ("ConditionalCheckFailed".equals(codes.get(0))) {
                // counted before: a delivery killed between its count and the completion check comes again, and
                // nothing else would complete the job
                completeIfDone(id);
                return false;
            }
            if ("ConditionalCheckFailed".equals(codes.get(1))) {
                LOG.warn("Rows of import {} counted after the job was deleted: dropped", id);
                return false;
            }
            throw e;
        }
        addErrors(id, counts.errors());
        if (counts.succeeded() + counts.failed() > 0) {
            completeIfDone(id);
        }
        return true;
    }

    /** Raises the job's {@code lastRow} to {@code row}. */
    private void reachedRow(String id, long row) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table).key(key(id)).updateExpression("SET lastRow = :n")
                    .conditionExpression("attribute_exists(pk) AND (attribute_not_exists(lastRow) OR lastRow < :n)")
                    .expressionAttributeValues(Map.of(":n", n(row))));
        } catch (ConditionalCheckFailedException higherAlready) {
            // a later batch got there first (or the job is gone: the count says so)
        }
    }

    /** Whether {@link #count} counted this mark of the job already. */
    public boolean counted(String id, String mark) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("pk", s(MARK_PREFIX + id), "sk", s(mark)))).item();
        return item != null && !item.isEmpty();
    }

    /** Rows of the job read but not yet applied or rejected. */
    public long pendingRows(String id) {
        ObjectNode job = get(id).orElseThrow();
        return job.path("readRows").asLong() - job.path("processedRows").asLong();
    }

    /** Keeps the first {@value #MAX_ROW_ERRORS} reasons; later ones are only counted. */
    private void addErrors(String id, List<RowError> errors) {
        if (errors.isEmpty()) {
            return;
        }
        try {
            dynamoDb.updateItem(b -> b.tableName(table).key(key(id))
                    .updateExpression("SET rowErrors = list_append(rowErrors, :e)")
                    .conditionExpression("size(rowErrors) < :max")
                    .expressionAttributeValues(Map.of(":e", DynamoJson.toValue(JSON.valueToTree(
                            errors.subList(0, Math.min(errors.size(), MAX_ROW_ERRORS)))), ":max", n(MAX_ROW_ERRORS))));
        } catch (ConditionalCheckFailedException full) {
            // enough reasons kept
        }
    }

    /**
     * The DIRECT reader pauses: {@code pending} of the job's rows are queued and not applied, more than it lets
     * wait. Shown on the job as {@code readerWaitingRows} until {@link #readerResumed}, so a slow import says why.
     */
    public void readerWaiting(String id, long pending) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table).key(key(id))
                    .updateExpression("SET readerWaitingRows = :n, updatedAt = :now")
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(Map.of(":n", n(pending), ":now", now())));
        } catch (ConditionalCheckFailedException gone) {
            // the job was deleted: nothing to show it on
        }
    }

    /** The DIRECT reader goes on: the backlog is back under its limit. */
    public void readerResumed(String id) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table).key(key(id))
                    .updateExpression("REMOVE readerWaitingRows SET updatedAt = :now")
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(Map.of(":now", now())));
        } catch (ConditionalCheckFailedException gone) {
            // the job was deleted: nothing to show it on
        }
    }

    /**
     * The reader has read every row: the total is known, and it agrees with the last row number the reader gave (else
     * the reader failed, see the class); the job completes now if every row is processed.
     */
    public void readerFinished(String id) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table).key(key(id))
                    // a reader stopped while it waited (kill -9, a stop) left readerWaitingRows behind
                    .updateExpression("SET totalRows = readRows, readerDone = :t, updatedAt = :now "
                            + "REMOVE readerWaitingRows")
                    .conditionExpression("#s = :p AND (lastRow = readRows OR (attribute_not_exists(lastRow) "
                            + "AND readRows = :zero))")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true), ":now", now(),
                            ":p", s(ImportStatus.PROCESSING.name()), ":zero", n(0))));
        } catch (ConditionalCheckFailedException endedOrDisagree) {
            ObjectNode job = get(id).orElseThrow();
            if (ImportStatus.PROCESSING.name().equals(job.path("status").asText())) {
                readerFailed(id, "Import.RowCountMismatch: the reader numbered " + job.path("lastRow").asLong()
                        + " rows, " + job.path("readRows").asLong() + " were counted as read");
            }
            return;
        }
        completeIfDone(id);
    }

    /**
     * The reader gave up for good (the job's start message reached the DLQ): the rows read so far are the total,
     * and the job ends FAILED with {@code reason} once they are applied (at once if they are). A job still QUEUED
     * (never started) ends FAILED with 0 rows.
     */
    public void readerFailed(String id, String reason) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table).key(key(id))
                    .updateExpression("SET #s = :p, totalRows = readRows, readerDone = :t, readerError = :e, "
                            + "updatedAt = :now REMOVE readerWaitingRows")
                    .conditionExpression("#s IN (:p, :q)")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true), ":now", now(),
                            ":e", s(reason), ":p", s(ImportStatus.PROCESSING.name()),
                            ":q", s(ImportStatus.QUEUED.name()))));
        } catch (ConditionalCheckFailedException ended) {
            return;
        }
        completeIfDone(id);
    }

    /**
     * Keeps why a delivery of a message failed (the message's {@code mark}), for when the message reaches the DLQ.
     * Best effort: the message is retried either way.
     */
    public void deliveryFailed(String id, String mark, String error) {
        try {
            dynamoDb.putItem(b -> b.tableName(table).item(Map.of("pk", s(FAILURE_PREFIX + id), "sk", s(mark),
                    "error", s(error), "at", now(), "ttl", n(Instant.now().plus(MARK_TTL).getEpochSecond()))));
        } catch (RuntimeException e) {
            LOG.warn("Failure of {} / {} not kept: {}", id, mark, e.toString());
        }
    }

    /** The last failure kept by {@link #deliveryFailed}, if any. */
    public Optional<String> lastFailure(String id, String mark) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("pk", s(FAILURE_PREFIX + id), "sk", s(mark)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item.get("error").s());
    }

    /** COMPLETED, or FAILED when a row failed, once the reader is done and every row is processed. */
    private void completeIfDone(String id) {
        ObjectNode job = get(id).orElseThrow();
        long total = job.path("totalRows").asLong();
        long processed = job.path("processedRows").asLong();
        if (!job.path("readerDone").asBoolean() || processed < total
                || !ImportStatus.PROCESSING.name().equals(job.path("status").asText())) {
            return;
        }
        long failed = job.path("failedRows").asLong();
        String readerError = job.path("readerError").asText(null);
        ObjectNode result = JSON.createObjectNode();
        result.put("message", (readerError != null ? "The file was not read to its end (" + readerError + "); "
                        + "of the " + total + " rows read " : "") + (failed > 0 ? failed + " of " + total + " rows failed"
                        : readerError != null ? "none failed" : "Imported " + total + " rows"))
                .put("total", total).put("succeeded", job.path("succeededRows").asLong()).put("failed", failed);
        status(id, failed > 0 || readerError != null ? ImportStatus.FAILED : ImportStatus.COMPLETED, result,
                ImportStatus.PROCESSING);
    }

    /** {@code <PREFIX>#<tenant>#<table>#<unique>} -> pk (first two parts), sk (the rest). */
    public static Map<String, AttributeValue> key(String id) {
        String[] parts = id.split("#", 3);
        if (parts.length < 3
                || !(id.startsWith(CSV_PREFIX) || id.startsWith(SINGLE_PREFIX) || id.startsWith(ZIP_PREFIX))) {
            throw new IllegalArgumentException("Not an import id: " + id);
        }
        return Map.of("pk", s(parts[0] + "#" + parts[1]), "sk", s(parts[2]));
    }

    private static AttributeValue now() {
        return s(Instant.now().toString());
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
