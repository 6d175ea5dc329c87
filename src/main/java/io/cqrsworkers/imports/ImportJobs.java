package io.cqrsworkers.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.aws.DynamoJson;
import io.cqrsworkers.command.Notifier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * CSV master jobs in {@code import_tmp}: pk {@code CSV_IMPORT#<tenant>}, sk {@code <table>#<unique id>}, id
 * {@code pk#sk}. Counters are atomic ADDs, so concurrent batches never lose a count; rejected rows keep their line
 * number and reason in {@code rowErrors} (the first {@value #MAX_ROW_ERRORS}).
 */
public final class ImportJobs {

    public static final String CSV_PREFIX = "CSV_IMPORT#";
    static final int MAX_ROW_ERRORS = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Notifier notifier;

    public ImportJobs(DynamoDbClient dynamoDb, String table, Notifier notifier) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.notifier = notifier;
    }

    /** Creates a PROCESSING master job for the import request and returns it. */
    public ObjectNode create(ImportRequest request) {
        String pk = CSV_PREFIX + request.tenantCode();
        // time-ordered like the original's ulid
        String sk = request.tableName() + "#" + String.format("%013d", System.currentTimeMillis()) + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        String now = Instant.now().toString();
        ObjectNode job = JSON.createObjectNode();
        job.put("pk", pk).put("sk", sk).put("id", pk + "#" + sk).put("type", "CSV_MASTER_JOB")
                .put("tenantCode", request.tenantCode()).put("status", ImportStatus.PROCESSING.name());
        job.set("attributes", request.toJson());
        job.put("totalRows", 0).put("processedRows", 0).put("succeededRows", 0).put("failedRows", 0);
        job.putArray("rowErrors");
        job.put("createdAt", now).put("updatedAt", now);
        dynamoDb.putItem(b -> b.tableName(table).item(DynamoJson.toItem(job))
                .conditionExpression("attribute_not_exists(pk)"));
        return job;
    }

    public Optional<ObjectNode> get(String id) {
        String[] key = key(id);
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("pk", s(key[0]), "sk", s(key[1])))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(DynamoJson.fromItem(item));
    }

    /** Adds one batch's counts; rows count as processed once applied or rejected. */
    public void count(String id, BatchResult result) {
        String[] key = key(id);
        StringBuilder update = new StringBuilder("ADD totalRows :t, processedRows :p, succeededRows :s, failedRows :f "
                + "SET updatedAt = :now");
        Map<String, AttributeValue> values = new java.util.HashMap<>(Map.of(
                ":t", n(result.totalRows()), ":p", n(result.totalRows()), ":s", n(result.succeededRows()),
                ":f", n(result.failedRows()), ":now", s(Instant.now().toString())));
        List<RowError> errors = result.errors();
        if (!errors.isEmpty()) {
            update.append(", rowErrors = list_append(rowErrors, :e)");
            values.put(":e", DynamoJson.toValue(JSON.valueToTree(errors.subList(0, Math.min(errors.size(), MAX_ROW_ERRORS)))));
            values.put(":max", n(MAX_ROW_ERRORS));
        }
        String condition = errors.isEmpty() ? null : "size(rowErrors) < :max";
        try {
            dynamoDb.updateItem(b -> b.tableName(table).key(Map.of("pk", s(key[0]), "sk", s(key[1])))
                    .updateExpression(update.toString()).conditionExpression(condition).expressionAttributeValues(values));
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException full) {
            // enough reasons kept: count without them
            count(id, new BatchResult(result.totalRows(), result.succeededRows(), result.failedRows(), List.of()));
        }
    }

    /** Sets the final status and result and sends {@code import-status} ({@code updateStatus} of the original). */
    public ObjectNode finish(String id, ImportStatus status, JsonNode result) {
        String[] key = key(id);
        dynamoDb.updateItem(b -> b.tableName(table).key(Map.of("pk", s(key[0]), "sk", s(key[1])))
                .updateExpression("SET #s = :s, #r = :r, updatedAt = :now")
                .expressionAttributeNames(Map.of("#s", "status", "#r", "result"))
                .expressionAttributeValues(Map.of(":s", s(status.name()), ":r", DynamoJson.toValue(result),
                        ":now", s(Instant.now().toString()))));
        ObjectNode job = get(id).orElseThrow();
        ObjectNode content = JSON.createObjectNode().put("status", status.name());
        content.set("attributes", job.get("attributes"));
        content.set("result", result);
        notifier.notify("import-status", table, key[0], key[1], content);
        return job;
    }

    /** {@code CSV_IMPORT#<tenant>#<table>#<unique>} -> pk (first two parts), sk (the rest). */
    static String[] key(String id) {
        String[] parts = id.split("#", 3);
        if (parts.length < 3 || !id.startsWith(CSV_PREFIX)) {
            throw new IllegalArgumentException("Not a CSV import job id: " + id);
        }
        return new String[] {parts[0] + "#" + parts[1], parts[2]};
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
