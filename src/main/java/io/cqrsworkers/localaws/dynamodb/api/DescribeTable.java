package io.cqrsworkers.localaws.dynamodb.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.dynamodb.model.DynamoDbException;
import io.cqrsworkers.localaws.dynamodb.store.Database;
import io.cqrsworkers.localaws.dynamodb.store.Table;
import io.cqrsworkers.localaws.http.AwsJsonServer;

final class DescribeTable implements AwsJsonServer.Operation {

    private final Database db;

    DescribeTable(Database db) {
        this.db = db;
    }

    @Override
    public ObjectNode handle(JsonNode req) {
        String name = Requests.required(req, "TableName", "tableName");
        Table t = db.findTable(name);
        if (t == null) {
            throw DynamoDbException.notFound("Requested resource not found: Table: " + name + " not found");
        }
        ObjectNode out = Requests.object();
        out.set("Table", t.describe(t.status()));
        return out;
    }
}
