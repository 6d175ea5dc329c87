package io.cqrsworkers.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.aws.DynamoJson;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The command pipeline's reads and writes on its DynamoDB tables, items as plain JSON objects. */
public final class CommandStore {

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

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
            dynamo.putItem(b -> b.tableName(tables.table(module, CommandTables.COMMAND))
                    .item(DynamoJson.toItem(command))
                    .conditionExpression("attribute_not_exists(pk) AND attribute_not_exists(sk)"));
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
            dynamo.putItem(b -> b.tableName(tables.table(module, CommandTables.DATA))
                    .item(DynamoJson.toItem(data))
                    .conditionExpression("attribute_not_exists(pk) OR version <= :v")
                    .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(data.path("version").asText()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * SET status (and updatedAt) on an existing command row, unless the row records a failure of the same state:
     * parallel sync handlers must not hide one another's failure. Returns false when that kept the failure.
     */
    public boolean updateStatus(String module, String pk, String sk, String status) {
        String state = status.substring(0, status.lastIndexOf(':') + 1);
        try {
            dynamo.updateItem(b -> b.tableName(tables.table(module, CommandTables.COMMAND)).key(key(pk, sk))
                    .updateExpression("SET #status = :status, updatedAt = :now")
                    .conditionExpression("attribute_exists(pk) AND (attribute_not_exists(#status) OR #status <> :failed)")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":status", AttributeValue.fromS(status),
                            ":now", AttributeValue.fromS(now()), ":failed", AttributeValue.fromS(state + "FAILED"))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            if (get(tables.table(module, CommandTables.COMMAND), pk, sk, true).isEmpty()) {
                throw e;
            }
            return false;
        }
    }

    public void setTaskToken(String module, String pk, String sk, String token) {
        update(module, pk, sk, "SET taskToken = :token", Map.of(),
                Map.of(":token", AttributeValue.fromS(token)));
    }

    /** Sets or (null) removes the ttl of a command row. */
    public void setCommandTtl(String module, String pk, String sk, Long ttl) {
        if (ttl == null) {
            update(module, pk, sk, "REMOVE #ttl", Map.of("#ttl", "ttl"), Map.of());
        } else {
            update(module, pk, sk, "SET #ttl = :ttl", Map.of("#ttl", "ttl"),
                    Map.of(":ttl", AttributeValue.fromN(ttl.toString())));
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
