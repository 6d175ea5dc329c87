package io.cqrsworkers.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.aws.DynamoJson;
import io.cqrsworkers.json.Jackson;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * ZIP master jobs in {@code import_tmp}: pk {@code ZIP_IMPORT#<tenant>}, sk {@code ZIP#<unique>}, type
 * {@code ZIP_MASTER_JOB}, as the original. Status, claim and reads go through {@link ImportJobs} (the same rules as a
 * CSV job's); this class writes what only a ZIP job has: {@code files}, one entry per file in import order
 * ({@code name}, {@code key}, {@code status} PENDING, PROCESSING, COMPLETED or FAILED, its CSV {@code jobId} and its
 * counts once it ended), and {@code currentFile}, the index of the file being imported.
 */
public final class ZipJobs {

    public static final String BEAN = "zipJobs";
    public static final String TYPE = "ZIP_MASTER_JOB";

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final ImportJobs jobs;

    public ZipJobs(DynamoDbClient dynamoDb, String table, ImportJobs jobs) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.jobs = jobs;
    }

    /** Writes a CREATED ZIP job for the request; its stream record queues it, the import action queue unpacks it. */
    public ObjectNode create(ZipImportRequest request) {
        String pk = ImportJobs.ZIP_PREFIX + request.tenantCode();
        String sk = ImportJobs.uniqueSk("ZIP");
        String now = Instant.now().toString();
        ObjectNode job = Jackson.MAPPER.createObjectNode();
        job.put("pk", pk).put("sk", sk).put("id", pk + "#" + sk).put("type", TYPE)
                .put("tenantCode", request.tenantCode()).put("status", ImportStatus.CREATED.name())
                .put("createdAt", now).put("updatedAt", now);
        job.set("attributes", request.toJson());
        jobs.put(job);
        return job;
    }

    /** The unique part of a ZIP job's id (after {@code ZIP#}): the folder of its files and its CSV jobs' ids. */
    public static String unique(String zipId) {
        return zipId.substring(zipId.lastIndexOf('#') + 1);
    }

    /** Records the unpacked files in import order (all PENDING); the job is then ready for its orchestrator. */
    public void unpacked(String zipId, List<String> sortedKeys) {
        ArrayNode files = Jackson.MAPPER.createArrayNode();
        for (String key : sortedKeys) {
            files.addObject().put("name", key.substring(key.lastIndexOf('/') + 1)).put("key", key)
                    .put("status", "PENDING");
        }
        update(zipId, "SET files = :f, fileCount = :n, updatedAt = :now", Map.of(":f", DynamoJson.toValue(files),
                ":n", AttributeValue.fromN(Integer.toString(sortedKeys.size())), ":now", now()), Map.of());
    }

    /** File {@code index} is being imported by CSV job {@code jobId}. */
    public void fileStarted(String zipId, int index, String jobId) {
        String f = "files[" + index + "].";
        try {
            // not over an end already recorded (the step's message delivered again after its job ended)
            dynamoDb.updateItem(b -> b.tableName(table).key(ImportJobs.key(zipId))
                    .updateExpression("SET " + f + "#s = :s, " + f + "jobId = :j, currentFile = :i, updatedAt = :now")
                    .conditionExpression(f + "#s IN (:pending, :s)")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":s", AttributeValue.fromS("PROCESSING"),
                            ":pending", AttributeValue.fromS("PENDING"), ":j", AttributeValue.fromS(jobId),
                            ":i", AttributeValue.fromN(Integer.toString(index)), ":now", now())));
        } catch (ConditionalCheckFailedException ended) {
            // recorded already
        }
    }

    /** File {@code index} ended: its CSV job's status and counts. Written again by a repeated callback, unchanged. */
    public void fileEnded(String zipId, int index, String status, JsonNode result) {
        String f = "files[" + index + "].";
        update(zipId, "SET " + f + "#s = :s, " + f + "#t = :t, " + f + "succeeded = :ok, " + f + "failed = :x, "
                        + "updatedAt = :now",
                Map.of(":s", AttributeValue.fromS(status), ":t", n(result.path("total").asLong()),
                        ":ok", n(result.path("succeeded").asLong()), ":x", n(result.path("failed").asLong()),
                        ":now", now()),
                Map.of("#s", "status", "#t", "total"));
    }

    private void update(String zipId, String expression, Map<String, AttributeValue> values,
                        Map<String, String> names) {
        try {
            dynamoDb.updateItem(b -> {
                b.tableName(table).key(ImportJobs.key(zipId)).updateExpression(expression)
                        .conditionExpression("attribute_exists(pk)").expressionAttributeValues(values);
                if (!names.isEmpty()) {
                    b.expressionAttributeNames(names);
                }
            });
        } catch (ConditionalCheckFailedException gone) {
            throw new IllegalStateException("No ZIP job " + zipId, gone);
        }
    }

    /**
     * Gives a file's CSV job the task token of the step that waits for it (a step run again has a new token when its
     * state was retried); a job that ended already answers it through its stream record, like at its end.
     */
    public void rearm(String csvJobId, String token) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table).key(ImportJobs.key(csvJobId))
                    .updateExpression("SET attributes.taskToken = :t, updatedAt = :now")
                    .conditionExpression("attribute_exists(pk) AND attributes.taskToken <> :t")
                    .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(token), ":now", now())));
        } catch (ConditionalCheckFailedException same) {
            // the step's message delivered again: the job has this token already
        }
    }

    private static AttributeValue now() {
        return AttributeValue.fromS(Instant.now().toString());
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
