package io.cqrsworkers.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.aws.DynamoJson;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The command pipeline's reads and writes on its DynamoDB tables, items as plain JSON objects. */
public final class CommandStore {

    /** The registry name of the bean. */
    public static final String BEAN = "commandStore";

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
    private static final String ABSENT = "attribute_not_exists(pk) AND attribute_not_exists(sk)";
    private static final String NOT_OLDER = "attribute_not_exists(pk) OR version <= :v";
    /** BatchGetItem takes at most 100 keys. */
    private static final int BATCH_GET_KEYS = 100;

    private final DynamoDbClient dynamo;
    private final CommandTables tables;

    public CommandStore(DynamoDbClient dynamo, CommandTables tables) {
        this.dynamo = dynamo;
        this.tables = tables;
    }

    public CommandTables tables() {
        return tables;
    }

    /** Local time with offset, second precision, as the original writes timestamps. */
    public static String now() {
        return OffsetDateTime.now(ZoneId.systemDefault()).truncatedTo(ChronoUnit.SECONDS).format(TIMESTAMP);
    }

    public Optional<ObjectNode> get(String table, String pk, String sk, boolean consistent) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(pk, sk))
                .consistentRead(consistent)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(DynamoJson.fromItem(item));
    }

    public Optional<ObjectNode> getCommand(String module, String pk, String sk, boolean consistent) {
        return get(tables.table(module, CommandTables.COMMAND), pk, sk, consistent);
    }

    public Optional<ObjectNode> getData(String module, String pk, String skBase, boolean consistent) {
        return get(tables.table(module, CommandTables.DATA), pk, skBase, consistent);
    }

    /** Writes a new command version; false when that version already exists (a conflict). */
    public boolean putCommandIfAbsent(String module, ObjectNode command) {
        try {
            Put put = commandIfAbsent(module, command);
            dynamo.putItem(b -> b.tableName(put.tableName()).item(put.item())
                    .conditionExpression(put.conditionExpression()));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    public void put(String table, ObjectNode item) {
        dynamo.putItem(b -> b.tableName(table).item(DynamoJson.toItem(item)));
    }

    /**
     * Writes the read-model record unless a newer version is already there, so a late or repeated sync never
     * moves the read model back (the original's write is unconditional). Returns false when skipped.
     */
    public boolean putDataIfNotOlder(String module, ObjectNode data) {
        try {
            Put put = dataIfNotOlder(module, data);
            dynamo.putItem(b -> b.tableName(put.tableName()).item(put.item())
                    .conditionExpression(put.conditionExpression())
                    .expressionAttributeValues(put.expressionAttributeValues()));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** The conditional write of {@link #putCommandIfAbsent}, for a transaction. */
    public Put commandIfAbsent(String module, ObjectNode command) {
        return Put.builder().tableName(tables.table(module, CommandTables.COMMAND)).item(DynamoJson.toItem(command))
                .conditionExpression(ABSENT).build();
    }

    /** The conditional write of {@link #putDataIfNotOlder}, for a transaction. */
    public Put dataIfNotOlder(String module, ObjectNode data) {
        return Put.builder().tableName(tables.table(module, CommandTables.DATA)).item(DynamoJson.toItem(data))
                .conditionExpression(NOT_OLDER)
                .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(data.path("version").asText())))
                .build();
    }

    public Put plain(String table, ObjectNode item) {
        return Put.builder().tableName(table).item(DynamoJson.toItem(item)).build();
    }

    /**
     * Writes all or nothing (TransactWriteItems). Returns null when written, else the cancellation reason code of
     * each put in order ("None" for the ones that were not the cause, "ConditionalCheckFailed" for a failed
     * condition).
     */
    public List<String> transact(List<Put> puts) {
        try {
            dynamo.transactWriteItems(b -> b.transactItems(puts.stream()
                    .map(put -> TransactWriteItem.builder().put(put).build()).toList()));
            return null;
        } catch (TransactionCanceledException e) {
            if (!e.hasCancellationReasons()) {
                throw e;
            }
            return e.cancellationReasons().stream().map(CancellationReason::code).toList();
        }
    }

    /** Strongly consistent reads of many items of one table, by (pk, sk): BatchGetItem, 100 keys per call. */
    public Map<ItemKey, ObjectNode> getAll(String table, Collection<ItemKey> keys) {
        Map<ItemKey, ObjectNode> found = new HashMap<>();
        List<ItemKey> all = new ArrayList<>(keys);
        for (int from = 0; from < all.size(); from += BATCH_GET_KEYS) {
            List<Map<String, AttributeValue>> chunk = all.subList(from, Math.min(all.size(), from + BATCH_GET_KEYS))
                    .stream().map(k -> key(k.pk(), k.sk())).toList();
            Map<String, KeysAndAttributes> request = Map.of(table,
                    KeysAndAttributes.builder().keys(chunk).consistentRead(true).build());
            while (!request.isEmpty()) {
                Map<String, KeysAndAttributes> ask = request;
                var response = dynamo.batchGetItem(b -> b.requestItems(ask));
                for (Map<String, AttributeValue> item : response.responses().getOrDefault(table, List.of())) {
                    found.put(new ItemKey(item.get("pk").s(), item.get("sk").s()), DynamoJson.fromItem(item));
                }
                request = response.unprocessedKeys();
            }
        }
        return found;
    }

    /** An item's primary key. */
    public record ItemKey(String pk, String sk) {
    }

    /**
     * SET status (and updatedAt) on an existing command row, unless the row records a failure of the same state
     * (parallel sync handlers must not hide one another's failure) or the command is {@code finish:FINISHED}: a step
     * message delivered again after a restart (SQS redelivers what was in flight) runs after the execution ended and
     * must not move the status back. Returns false when the row kept its status.
     */
    public boolean updateStatus(String module, String pk, String sk, String status) {
        String state = status.substring(0, status.lastIndexOf(':') + 1);
        try {
            dynamo.updateItem(b -> b.tableName(tables.table(module, CommandTables.COMMAND)).key(key(pk, sk))
                    .updateExpression("SET #status = :status, updatedAt = :now")
                    .conditionExpression("attribute_exists(pk) AND (attribute_not_exists(#status) OR "
                            + "(#status <> :failed AND #status <> :finished))")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":status", AttributeValue.fromS(status),
                            ":now", AttributeValue.fromS(now()), ":failed", AttributeValue.fromS(state + "FAILED"),
                            ":finished", AttributeValue.fromS(CommandStatus.FINISHED))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            if (get(tables.table(module, CommandTables.COMMAND), pk, sk, true).isEmpty()) {
                throw e;
            }
            return false;
        }
    }

    /**
     * Records that the command's execution ended abnormally: status, error, cause and executionStatus, only if its
     * status is still {@code seen} and no end was recorded yet, so replicas and repeated sweeps write it once and a
     * step's own later write is not hidden.
     *
     * @return false when the status had moved on, or an end was recorded before
     */
    public boolean recordExecutionEnd(String module, String pk, String sk, String seen, String status, String error,
                                      String cause, String executionStatus) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":status", AttributeValue.fromS(status),
                ":now", AttributeValue.fromS(now()), ":error", AttributeValue.fromS(error),
                ":cause", AttributeValue.fromS(cause), ":end", AttributeValue.fromS(executionStatus)));
        String condition = "attribute_exists(pk) AND attribute_not_exists(executionStatus) AND ";
        if (seen == null) {
            condition += "attribute_not_exists(#status)";
        } else {
            condition += "#status = :seen";
            values.put(":seen", AttributeValue.fromS(seen));
        }
        String check = condition;
        try {
            dynamo.updateItem(b -> b.tableName(tables.table(module, CommandTables.COMMAND)).key(key(pk, sk))
                    .updateExpression("SET #status = :status, updatedAt = :now, #error = :error, #cause = :cause, "
                            + "executionStatus = :end")
                    .conditionExpression(check)
                    .expressionAttributeNames(Map.of("#status", "status", "#error", "error", "#cause", "cause"))
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    public void setTaskToken(String module, String pk, String sk, String token) {
        update(module, pk, sk, "SET taskToken = :token", Map.of(),
                Map.of(":token", AttributeValue.fromS(token)));
    }

    /** Sets or (null) removes the ttl of a command row; false when there is no such row (it expired). */
    public boolean setCommandTtl(String module, String pk, String sk, Long ttl) {
        try {
            if (ttl == null) {
                update(module, pk, sk, "REMOVE #ttl", Map.of("#ttl", "ttl"), Map.of());
            } else {
                update(module, pk, sk, "SET #ttl = :ttl", Map.of("#ttl", "ttl"),
                        Map.of(":ttl", AttributeValue.fromN(ttl.toString())));
            }
            return true;
        } catch (ConditionalCheckFailedException absent) {
            return false;
        }
    }

    private void update(String module, String pk, String sk, String expression, Map<String, String> names,
                        Map<String, AttributeValue> values) {
        Map<String, String> allNames = new HashMap<>(names);
        allNames.put("#pk", "pk");
        dynamo.updateItem(b -> {
            b.tableName(tables.table(module, CommandTables.COMMAND)).key(key(pk, sk))
                    .updateExpression(expression)
                    .conditionExpression("attribute_exists(#pk)")
                    .expressionAttributeNames(allNames);
            if (!values.isEmpty()) {
                b.expressionAttributeValues(values);
            }
        });
    }

    /** The ttl setting in master-data for a physical table ({@code attributes.days}), if any. */
    public Optional<Integer> ttlDays(String tenantCode, String physicalTable) {
        return get(tables.masterData(), CommandKeys.masterPk(tenantCode), CommandKeys.ttlSk(physicalTable), false)
                .map(item -> item.path("attributes").path("days"))
                .filter(JsonNode::isNumber)
                .map(JsonNode::asInt);
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk));
    }
}
