package io.cqrsworkers.localaws.dynamodb.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.dynamodb.model.DynamoDbException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * Parameter validation, the second check of every request (after {@link Shapes}, before expressions, keys and the
 * table's existence): the model's constraints (required members, lengths, ranges, enums, patterns), all violations
 * of a request in one message as DynamoDB counts and words them ("N validation error(s) detected: Value ... at '...'
 * failed to satisfy constraint: ...", at most 10). The rules are data, one list per operation.
 *
 * <p>Sources: enum orders and member order from dynalite's {@code validations/*.js} (written against DynamoDB);
 * exact texts from the nubo-db/dynamodb-conformance suite (tier3 error-messages and validation-ordering, every case
 * recorded against DynamoDB); shapes from the SDK model.
 */
final class Constraints {

    static final List<String> RETURN_CONSUMED_CAPACITY = List.of("INDEXES", "TOTAL", "NONE");
    static final List<String> RETURN_VALUES = List.of("ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW");
    static final List<String> RETURN_ITEM_COLLECTION_METRICS = List.of("SIZE", "NONE");
    static final List<String> CONDITIONAL_OPERATOR = List.of("OR", "AND");
    static final List<String> SELECT = List.of("SPECIFIC_ATTRIBUTES", "COUNT", "ALL_ATTRIBUTES",
            "ALL_PROJECTED_ATTRIBUTES");
    static final List<String> RETURN_VALUES_ON_FAILURE = List.of("ALL_OLD", "NONE");
    static final List<String> KEY_TYPE = List.of("HASH", "RANGE");
    static final List<String> ATTRIBUTE_TYPE = List.of("B", "N", "S");
    static final List<String> BILLING_MODE = List.of("PROVISIONED", "PAY_PER_REQUEST");
    static final List<String> PROJECTION_TYPE = List.of("ALL", "KEYS_ONLY", "INCLUDE");
    static final List<String> STREAM_VIEW_TYPE = List.of("NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES",
            "KEYS_ONLY");
    static final List<String> TABLE_CLASS = List.of("STANDARD", "STANDARD_INFREQUENT_ACCESS");

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.-]+");
    private static final String NAME_PATTERN = "[a-zA-Z0-9_.-]+";

    /** The violations of one request. */
    static final class Violations {
        private final List<String> errors = new ArrayList<>();

        void add(JsonNode value, String path, String constraint) {
            add(value == null || value.isNull() ? "null" : "'" + value.asText() + "'", path, constraint);
        }

        /** @param shown the value as shown: null, or quoted */
        void add(String shown, String path, String constraint) {
            if (errors.size() < 10) {
                errors.add("Value " + (shown.isEmpty() ? "" : shown + " ") + "at '" + path + "' failed to satisfy constraint: " + constraint);
            }
        }

        void notNull(JsonNode req, String field, String path) {
            if (!req.hasNonNull(field)) {
                add((JsonNode) null, path, "Member must not be null");
            }
        }

        void oneOf(JsonNode req, String field, String path, List<String> values) {
            JsonNode v = req.get(field);
            if (v != null && !v.isNull() && !values.contains(v.asText())) {
                add(v, path, "Member must satisfy enum value set: [" + String.join(", ", values) + "]");
            }
        }

        void range(JsonNode req, String field, String path, long min, long max) {
            JsonNode v = req.get(field);
            if (v == null || v.isNull()) {
                return;
            }
            if (v.asLong() < min) {
                add(v, path, "Member must have value greater than or equal to " + min);
            } else if (v.asLong() > max) {
                add(v, path, "Member must have value less than or equal to " + max);
            }
        }

        void name(JsonNode req, String field, String path, int min) {
            JsonNode v = req.get(field);
            if (v == null || v.isNull()) {
                return;
            }
            String s = v.asText();
            if (!NAME.matcher(s).matches()) {
                add(v, path, "Member must satisfy regular expression pattern: " + NAME_PATTERN);
            }
            if (s.length() < min) {
                add(v, path, "Member must have length greater than or equal to " + min);
            }
            if (s.length() > 255) {
                add(v, path, "Member must have length less than or equal to 255");
            }
        }

        void throwIfAny() {
            if (!errors.isEmpty()) {
                throw DynamoDbException.validation(errors.size() + " validation error" + (errors.size() > 1 ? "s" : "")
                        + " detected: " + String.join("; ", errors));
            }
        }
    }

    private static final Map<String, BiConsumer<ObjectNode, Violations>> RULES = Map.ofEntries(
            Map.entry("PutItem", (r, v) -> {
                tableName(r);
                v.oneOf(r, "ReturnConsumedCapacity", "returnConsumedCapacity", RETURN_CONSUMED_CAPACITY);
                v.notNull(r, "Item", "item");
                v.oneOf(r, "ConditionalOperator", "conditionalOperator", CONDITIONAL_OPERATOR);
                v.oneOf(r, "ReturnValues", "returnValues", RETURN_VALUES);
                v.oneOf(r, "ReturnItemCollectionMetrics", "returnItemCollectionMetrics",
                        RETURN_ITEM_COLLECTION_METRICS);
                v.oneOf(r, "ReturnValuesOnConditionCheckFailure", "returnValuesOnConditionCheckFailure",
                        RETURN_VALUES_ON_FAILURE);
            }),
            Map.entry("DeleteItem", (r, v) -> {
                tableName(r);
                v.oneOf(r, "ReturnConsumedCapacity", "returnConsumedCapacity", RETURN_CONSUMED_CAPACITY);
                v.notNull(r, "Key", "key");
                v.oneOf(r, "ConditionalOperator", "conditionalOperator", CONDITIONAL_OPERATOR);
                v.oneOf(r, "ReturnValues", "returnValues", RETURN_VALUES);
                v.oneOf(r, "ReturnItemCollectionMetrics", "returnItemCollectionMetrics",
                        RETURN_ITEM_COLLECTION_METRICS);
                v.oneOf(r, "ReturnValuesOnConditionCheckFailure", "returnValuesOnConditionCheckFailure",
                        RETURN_VALUES_ON_FAILURE);
            }),
            Map.entry("UpdateItem", (r, v) -> {
                tableName(r);
                v.oneOf(r, "ReturnConsumedCapacity", "returnConsumedCapacity", RETURN_CONSUMED_CAPACITY);
                v.notNull(r, "Key", "key");
                v.oneOf(r, "ConditionalOperator", "conditionalOperator", CONDITIONAL_OPERATOR);
                v.oneOf(r, "ReturnValues", "returnValues", RETURN_VALUES);
                v.oneOf(r, "ReturnItemCollectionMetrics", "returnItemCollectionMetrics",
                        RETURN_ITEM_COLLECTION_METRICS);
                v.oneOf(r, "ReturnValuesOnConditionCheckFailure", "returnValuesOnConditionCheckFailure",
                        RETURN_VALUES_ON_FAILURE);
            }),
            Map.entry("GetItem", (r, v) -> {
                tableName(r);
                v.oneOf(r, "ReturnConsumedCapacity", "returnConsumedCapacity", RETURN_CONSUMED_CAPACITY);
                v.notNull(r, "Key", "key");
            }),
            Map.entry("Query", (r, v) -> {
                tableName(r);
                v.oneOf(r, "ReturnConsumedCapacity", "returnConsumedCapacity", RETURN_CONSUMED_CAPACITY);
                v.name(r, "IndexName", "indexName", 3);
                v.oneOf(r, "Select", "select", SELECT);
                v.oneOf(r, "ConditionalOperator", "conditionalOperator", CONDITIONAL_OPERATOR);
                // DynamoDB words a Query's Limit without the value and with a capital L (conformance, query.test)
                JsonNode limit = r.get("Limit");
                if (limit != null && !limit.isNull() && limit.asLong() < 1) {
                    v.add("", "Limit", "Member must have value greater than or equal to 1");
                }
            }),
            Map.entry("Scan", (r, v) -> {
                tableName(r);
                v.oneOf(r, "ReturnConsumedCapacity", "returnConsumedCapacity", RETURN_CONSUMED_CAPACITY);
                v.name(r, "IndexName", "indexName", 3);
                v.oneOf(r, "Select", "select", SELECT);
                v.range(r, "Limit", "limit", 1, Integer.MAX_VALUE);
                v.range(r, "Segment", "segment", 0, 999_999);
                v.range(r, "TotalSegments", "totalSegments", 1, 1_000_000);
                v.oneOf(r, "ConditionalOperator", "conditionalOperator", CONDITIONAL_OPERATOR);
            }),
            Map.entry("BatchGetItem", (r, v) -> {
                v.oneOf(r, "ReturnConsumedCapacity", "returnConsumedCapacity", RETURN_CONSUMED_CAPACITY);
                JsonNode items = r.get("RequestItems");
                if (items == null || items.isNull() || items.isEmpty()) {
                    throw DynamoDbException.validation("The requestItems parameter is required for BatchGetItem");
                }
                items.fields().forEachRemaining(e -> {
                    JsonNode keys = e.getValue().get("Keys");
                    if (keys == null || keys.isNull()) {
                        v.add((JsonNode) null, "requestItems." + e.getKey() + ".member.keys",
                                "Member must not be null");
                    } else if (keys.size() > 100) {
                        // worded without the value and with the table name (conformance, batchGetItem.test)
                        v.add("", "RequestItems." + e.getKey() + ".member.Keys",
                                "Member must have length less than or equal to 100");
                    } else if (keys.isEmpty()) {
                        v.add("'[]'", "requestItems." + e.getKey() + ".member.keys",
                                "Member must have length greater than or equal to 1");
                    }
                });
            }),
            Map.entry("BatchWriteItem", (r, v) -> {
                v.oneOf(r, "ReturnConsumedCapacity", "returnConsumedCapacity", RETURN_CONSUMED_CAPACITY);
                v.oneOf(r, "ReturnItemCollectionMetrics", "returnItemCollectionMetrics",
                        RETURN_ITEM_COLLECTION_METRICS);
                JsonNode items = r.get("RequestItems");
                if (items == null || items.isNull() || items.isEmpty()) {
                    throw DynamoDbException.validation("The requestItems parameter is required for BatchWriteItem");
                }
                boolean bad = false;
                for (JsonNode list : items) {
                    bad |= list.size() > 25 || list.isEmpty();
                }
                if (bad) {
                    v.add("'" + Shapes.render("BatchWriteItem", "RequestItems", items) + "'", "requestItems",
                            "Map value must satisfy constraint: [Member must have length less than or equal to 25, "
                                    + "Member must have length greater than or equal to 1]");
                }
            }),
            Map.entry("TransactWriteItems", (r, v) -> {
                transactItems(r, v, "TransactWriteItems");
                v.oneOf(r, "ReturnConsumedCapacity", "returnConsumedCapacity", RETURN_CONSUMED_CAPACITY);
                v.oneOf(r, "ReturnItemCollectionMetrics", "returnItemCollectionMetrics",
                        RETURN_ITEM_COLLECTION_METRICS);
            }),
            Map.entry("TransactGetItems", (r, v) -> {
                transactItems(r, v, "TransactGetItems");
                v.oneOf(r, "ReturnConsumedCapacity", "returnConsumedCapacity", RETURN_CONSUMED_CAPACITY);
            }),
            Map.entry("CreateTable", (r, v) -> {
                if (!r.hasNonNull("TableName")) {
                    throw DynamoDbException.validation(
                            "The parameter 'TableName' is required but was not present in the request");
                }
                JsonNode defs = r.get("AttributeDefinitions");
                if (defs == null) {
                    v.notNull(r, "AttributeDefinitions", "attributeDefinitions");
                } else {
                    for (int i = 0; i < defs.size(); i++) {
                        v.oneOf(defs.get(i), "AttributeType", "attributeDefinitions." + (i + 1)
                                + ".member.attributeType", ATTRIBUTE_TYPE);
                    }
                }
                v.name(r, "TableName", "tableName", 3);
                JsonNode schema = r.get("KeySchema");
                if (schema == null) {
                    v.notNull(r, "KeySchema", "keySchema");
                } else {
                    if (schema.size() > 2 || schema.isEmpty()) {
                        v.add("'" + Shapes.render("CreateTable", "KeySchema", schema) + "'", "keySchema",
                                schema.isEmpty() ? "Member must have length greater than or equal to 1"
                                        : "Member must have length less than or equal to 2");
                    }
                    for (int i = 0; i < schema.size(); i++) {
                        v.oneOf(schema.get(i), "KeyType", "keySchema." + (i + 1) + ".member.keyType", KEY_TYPE);
                    }
                }
                JsonNode pt = r.get("ProvisionedThroughput");
                if (pt != null) {
                    v.range(pt, "ReadCapacityUnits", "provisionedThroughput.readCapacityUnits", 1, Long.MAX_VALUE);
                    v.range(pt, "WriteCapacityUnits", "provisionedThroughput.writeCapacityUnits", 1,
                            Long.MAX_VALUE);
                }
                v.oneOf(r, "BillingMode", "billingMode", BILLING_MODE);
                v.oneOf(r, "TableClass", "tableClass", TABLE_CLASS);
                JsonNode stream = r.get("StreamSpecification");
                if (stream != null) {
                    v.oneOf(stream, "StreamViewType", "streamSpecification.streamViewType", STREAM_VIEW_TYPE);
                }
            }),
            Map.entry("DescribeTable", (r, v) -> tableName(r)),
            Map.entry("DeleteTable", (r, v) -> tableName(r)),
            Map.entry("UpdateTable", (r, v) -> {
                tableName(r);
                v.oneOf(r, "BillingMode", "billingMode", BILLING_MODE);
                v.oneOf(r, "TableClass", "tableClass", TABLE_CLASS);
            }),
            Map.entry("DescribeTimeToLive", (r, v) -> tableName(r)),
            Map.entry("UpdateTimeToLive", (r, v) -> {
                tableName(r);
                v.notNull(r, "TimeToLiveSpecification", "timeToLiveSpecification");
                JsonNode spec = r.get("TimeToLiveSpecification");
                if (spec != null) {
                    v.notNull(spec, "AttributeName", "timeToLiveSpecification.attributeName");
                    v.notNull(spec, "Enabled", "timeToLiveSpecification.enabled");
                    JsonNode name = spec.get("AttributeName");
                    if (name != null && (name.asText().isEmpty() || name.asText().length() > 255)) {
                        v.add(name, "timeToLiveSpecification.attributeName", name.asText().isEmpty()
                                ? "Member must have length greater than or equal to 1"
                                : "Member must have length less than or equal to 255");
                    }
                }
            }),
            Map.entry("ListTables", (r, v) -> {
                v.range(r, "Limit", "limit", 1, 100);
                v.name(r, "ExclusiveStartTableName", "exclusiveStartTableName", 3);
            }));

    private Constraints() {
    }

    /** Throws the ValidationException DynamoDB answers for the request's constraint violations, if any. */
    static void check(String operation, ObjectNode request) {
        BiConsumer<ObjectNode, Violations> rules = RULES.get(operation);
        if (rules != null) {
            Violations v = new Violations();
            rules.accept(request, v);
            v.throwIfAny();
        }
    }

    /**
     * The table name of the item and table operations, checked before anything else and answered alone: the shape
     * takes names and ARNs (1 to 1024 characters), so an empty name fails "length greater than or equal to 1"; a
     * name that is not an ARN must then match the name pattern and be at most 255 characters (conformance,
     * putItem.test).
     */
    static void tableName(JsonNode req) {
        JsonNode name = req.get("TableName");
        Violations v = new Violations();
        if (name == null || name.isNull()) {
            v.add((JsonNode) null, "tableName", "Member must not be null");
        } else if (name.asText().isEmpty()) {
            v.add(name, "tableName", "Member must have length greater than or equal to 1");
        } else if (name.asText().length() > 1024) {
            v.add(name, "tableName", "Member must have length less than or equal to 1024");
        } else if (!name.asText().startsWith("arn:")) {
            v.name(req, "TableName", "tableName", 3);
        }
        v.throwIfAny();
    }

    private static void transactItems(JsonNode r, Violations v, String operation) {
        JsonNode items = r.get("TransactItems");
        if (items == null || items.isNull()) {
            v.notNull(r, "TransactItems", "transactItems");
        } else if (items.isEmpty()) {
            v.add("'[]'", "transactItems", "Member must have length greater than or equal to 1");
        } else if (items.size() > 100) {
            v.add("'" + Shapes.render(operation, "TransactItems", items) + "'", "transactItems",
                    "Member must have length less than or equal to 100");
        }
    }
}
