package io.cqrsworkers.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.aws.DynamoJson;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads and writes of the tasks table, items as plain JSON objects. */
public final class TaskStore {

    public static final String BEAN = "taskStore";

    private final DynamoDbClient dynamo;
    private final String table;

    public TaskStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public String table() {
        return table;
    }

    static String now() {
        return OffsetDateTime.now(ZoneId.systemDefault()).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    public Optional<ObjectNode> get(TaskKeys key) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(key)).consistentRead(true))
                .item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(DynamoJson.fromItem(item));
    }

    /**
     * What a roll-up compares with (consistent read): status, rollupVersion, the counts and executionStatus, not
     * the parent's input or its list of sub-tasks, which grow with the task.
     */
    public Optional<ObjectNode> rollupState(TaskKeys key) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(key)).consistentRead(true)
                .projectionExpression("#status, rollupVersion, #a.subTaskCount, #a.subTaskSucceedCount, "
                        + "#a.subTaskFailedCount, #a.subTaskRunningCount, #a.executionStatus")
                .expressionAttributeNames(Map.of("#status", "status", "#a", "attributes"))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(DynamoJson.fromItem(item));
    }

    /** Unconditional, as the original writes tasks. */
    public void put(ObjectNode item) {
        dynamo.putItem(b -> b.tableName(table).item(DynamoJson.toItem(item)));
    }

    /** Writes the row unless it exists, so a retried task never resets the sub-tasks it already ran. */
    public void putIfAbsent(ObjectNode item) {
        try {
            dynamo.putItem(b -> b.tableName(table).item(DynamoJson.toItem(item))
                    .conditionExpression("attribute_not_exists(pk)"));
        } catch (ConditionalCheckFailedException exists) {
            // written by an earlier attempt
        }
    }

    /** The sub-tasks of a parent, in index order, from consistent reads. */
    public List<ObjectNode> subTasks(TaskKeys parent) {
        return subTasks(parent, null);
    }

    /** As {@link #subTasks(TaskKeys)}, only their keys and status (what a roll-up counts). */
    public List<ObjectNode> subTaskStatuses(TaskKeys parent) {
        return subTasks(parent, "pk, sk, #status");
    }

    private List<ObjectNode> subTasks(TaskKeys parent, String projection) {
        List<ObjectNode> rows = new ArrayList<>();
        QueryRequest.Builder query = QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(parent.pk()),
                        ":prefix", AttributeValue.fromS(parent.sk() + "#")));
        if (projection != null) {
            query.projectionExpression(projection).expressionAttributeNames(Map.of("#status", "status"));
        }
        dynamo.queryPaginator(query.build()).items().forEach(item -> rows.add(DynamoJson.fromItem(item)));
        rows.sort((a, b) -> Integer.compare(index(a), index(b)));
        return rows;
    }

    private static int index(JsonNode subTask) {
        String sk = subTask.path("sk").asText();
        return Integer.parseInt(sk.substring(sk.lastIndexOf('#') + 1));
    }

    /**
     * Sets the status and the given entries of {@code attributes} (other entries stay).
     *
     * @param onlyFrom when not empty, the update happens only while the status is one of these
     * @return the updated row; empty when the row is missing or its status is not one of {@code onlyFrom}
     */
    public Optional<ObjectNode> setStatus(TaskKeys key, TaskStatus status, ObjectNode attributes, TaskStatus... onlyFrom) {
        Update update = new Update(status);
        attributes.fields().forEachRemaining(f -> update.attribute(f.getKey(), f.getValue()));
        StringBuilder condition = new StringBuilder("attribute_exists(pk)");
        if (onlyFrom.length > 0) {
            condition.append(" AND #status IN (");
            for (int i = 0; i < onlyFrom.length; i++) {
                update.values.put(":from" + i, AttributeValue.fromS(onlyFrom[i].name()));
                condition.append(i > 0 ? ", " : "").append(":from").append(i);
            }
            condition.append(")");
        }
        return update.run(key, condition.toString());
    }

    /**
     * Writes a roll-up of the parent's sub-tasks if nobody has written one since {@code rollupVersion} was read:
     * two roll-ups that overlap cannot leave the older counts behind.
     *
     * @return false when another roll-up came first (read again and retry)
     */
    public boolean writeRollup(TaskKeys parent, long rollupVersion, TaskStatus status, ObjectNode counts) {
        Update update = new Update(status);
        counts.fields().forEachRemaining(f -> update.attribute(f.getKey(), f.getValue()));
        update.set.add("rollupVersion = :nextRollup");
        update.values.put(":nextRollup", AttributeValue.fromN(Long.toString(rollupVersion + 1)));
        update.values.put(":rollup", AttributeValue.fromN(Long.toString(rollupVersion)));
        return update.run(parent, rollupVersion == 0
                ? "attribute_exists(pk) AND (attribute_not_exists(rollupVersion) OR rollupVersion = :rollup)"
                : "rollupVersion = :rollup").isPresent();
    }

    /**
     * Fails a task whose state machine execution ended without the roll-up finishing it: status FAILED with the
     * execution's status, error and cause, only while it is PROCESSING (so replicas that see the same end write
     * it once). The roll-up version moves on, so a roll-up that read the task before cannot overwrite this.
     *
     * @return false when the task is not PROCESSING (any more)
     */
    public boolean failExecution(TaskKeys parent, ObjectNode attributes) {
        Update update = new Update(TaskStatus.FAILED);
        attributes.fields().forEachRemaining(f -> update.attribute(f.getKey(), f.getValue()));
        update.set.add("rollupVersion = if_not_exists(rollupVersion, :zero) + :one");
        update.values.put(":zero", AttributeValue.fromN("0"));
        update.values.put(":one", AttributeValue.fromN("1"));
        update.values.put(":processing", AttributeValue.fromS(TaskStatus.PROCESSING.name()));
        return update.run(parent, "#status = :processing").isPresent();
    }

    private static Map<String, AttributeValue> key(TaskKeys key) {
        return Map.of("pk", AttributeValue.fromS(key.pk()), "sk", AttributeValue.fromS(key.sk()));
    }

    /** One UpdateItem: SET status, updatedAt and attributes.<name> entries. */
    private final class Update {
        private final List<String> set = new ArrayList<>();
        private final Map<String, String> names = new HashMap<>();
        private final Map<String, AttributeValue> values = new HashMap<>();

        Update(TaskStatus status) {
            set.add("#status = :status");
            set.add("updatedAt = :now");
            names.put("#status", "status");
            values.put(":status", AttributeValue.fromS(status.name()));
            values.put(":now", AttributeValue.fromS(now()));
        }

        void attribute(String name, JsonNode value) {
            names.put("#attributes", "attributes");
            int n = names.size();
            names.put("#a" + n, name);
            values.put(":a" + n, DynamoJson.toValue(value));
            set.add("#attributes.#a" + n + " = :a" + n);
        }

        Optional<ObjectNode> run(TaskKeys key, String condition) {
            try {
                return Optional.of(DynamoJson.fromItem(dynamo.updateItem(b -> b.tableName(table).key(key(key))
                        .updateExpression("SET " + String.join(", ", set))
                        .conditionExpression(condition)
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values)
                        .returnValues(ReturnValue.ALL_NEW)).attributes()));
            } catch (ConditionalCheckFailedException e) {
                return Optional.empty();
            }
        }
    }
}
