package io.cqrsworkers.localaws.dynamodb.api;

import io.cqrsworkers.localaws.dynamodb.store.Database;
import io.cqrsworkers.localaws.http.AwsJsonServer.Operation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.HashMap;
import java.util.concurrent.CompletableFuture;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Every operation the emulator answers, keyed by X-Amz-Target. Each request passes DynamoDB's checks in DynamoDB's
 * order: serialization ({@link Shapes}), then parameter validation ({@link Constraints}), then the action's own
 * checks (expressions, keys), then the table's existence.
 */
public final class Operations {

    private static final String DYNAMODB = "DynamoDB_20120810.";
    private static final String STREAMS = "DynamoDBStreams_20120810.";

    private Operations() {
    }

    private static Operation checked(String name, Operation op, Database db) {
        return new Operation() {
            @Override
            public ObjectNode handle(JsonNode request) {
                try {
                    check(request);
                    return op.handle(request);
                } finally {
                    db.changeLog().sync();
                }
            }

            @Override
            public CompletableFuture<ObjectNode> handleAsync(JsonNode request) {
                try {
                    check(request);
                    return op.handleAsync(request);
                } finally {
                    // the journal lines of this request's changes are written before it is answered (the item
                    // operations answer at once)
                    db.changeLog().sync();
                }
            }

            private void check(JsonNode request) {
                Shapes.check(name, (ObjectNode) request);
                Constraints.check(name, (ObjectNode) request);
            }
        };
    }

    /** @param address host:port this emulator answers on, for DescribeEndpoints */
    public static Map<String, Operation> all(Database db, Supplier<String> address) {
        Map<String, Operation> ops = new HashMap<>();
        ops.put(DYNAMODB + "CreateTable", new CreateTable(db));
        ops.put(DYNAMODB + "DescribeTable", new DescribeTable(db));
        ops.put(DYNAMODB + "ListTables", new ListTables(db));
        ops.put(DYNAMODB + "DeleteTable", new DeleteTable(db));
        ops.put(DYNAMODB + "UpdateTable", new UpdateTable(db));
        ops.put(DYNAMODB + "PutItem", new PutItem(db));
        ops.put(DYNAMODB + "GetItem", new GetItem(db));
        ops.put(DYNAMODB + "UpdateItem", new UpdateItem(db));
        ops.put(DYNAMODB + "DeleteItem", new DeleteItem(db));
        ops.put(DYNAMODB + "Query", new Query(db));
        ops.put(DYNAMODB + "Scan", new Scan(db));
        ops.put(DYNAMODB + "BatchGetItem", new BatchGetItem(db));
        ops.put(DYNAMODB + "BatchWriteItem", new BatchWriteItem(db));
        ops.put(DYNAMODB + "TransactWriteItems", new TransactWriteItems(db));
        ops.put(DYNAMODB + "TransactGetItems", new TransactGetItems(db));
        ops.put(DYNAMODB + "UpdateTimeToLive", new UpdateTimeToLive(db));
        ops.put(DYNAMODB + "DescribeTimeToLive", new DescribeTimeToLive(db));
        ops.put(DYNAMODB + "TagResource", new TagResource(db, false));
        ops.put(DYNAMODB + "UntagResource", new TagResource(db, true));
        ops.put(DYNAMODB + "ListTagsOfResource", new ListTagsOfResource(db));
        ops.put(DYNAMODB + "DescribeContinuousBackups", new ContinuousBackups(db, false));
        ops.put(DYNAMODB + "UpdateContinuousBackups", new ContinuousBackups(db, true));
        ops.put(DYNAMODB + "DescribeEndpoints", new DescribeEndpoints(address));
        ops.put(DYNAMODB + "DescribeLimits", new DescribeLimits());
        ops.put(STREAMS + "ListStreams", new ListStreams(db));
        ops.put(STREAMS + "DescribeStream", new DescribeStream(db));
        ops.put(STREAMS + "GetShardIterator", new GetShardIterator(db));
        ops.put(STREAMS + "GetRecords", new GetRecords(db));
        ops.replaceAll((target, op) -> checked(target.substring(target.indexOf('.') + 1), op, db));
        return ops;
    }
}
