package io.cqrsworkers.localaws.dynamodb.api;

import io.cqrsworkers.localaws.dynamodb.server.AwsJsonServer.Operation;
import io.cqrsworkers.localaws.dynamodb.store.Database;

import java.util.HashMap;
import java.util.Map;

/** Every operation the emulator answers, keyed by X-Amz-Target. */
public final class Operations {

    private static final String DYNAMODB = "DynamoDB_20120810.";
    private static final String STREAMS = "DynamoDBStreams_20120810.";

    private Operations() {
    }

    public static Map<String, Operation> all(Database db) {
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
        return ops;
    }
}
