package io.cqrsworkers.localaws.dynamodb.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.dynamodb.model.DynamoDbException;
import io.cqrsworkers.localaws.dynamodb.store.Database;
import io.cqrsworkers.localaws.dynamodb.store.Table;
import io.cqrsworkers.localaws.http.AwsJsonServer;

/** DeleteTable: gone at once; its stream stays readable (DISABLED) until its records expire. */
final class DeleteTable implements AwsJsonServer.Operation {

    private final Database db;

    DeleteTable(Database db) {
        this.db = db;
    }

    @Override
    public ObjectNode handle(JsonNode req) {
        String name = Requests.required(req, "TableName", "tableName");
        Table existing = db.findTable(name);
        if (existing != null && existing.settings().path("DeletionProtectionEnabled").asBoolean(false)) {
            throw DynamoDbException.validation("Resource cannot be deleted as it is currently protected against "
                    + "deletion. Disable deletion protection first.");
        }
        ObjectNode description = existing == null ? null : existing.describe("DELETING");
        db.deleteTable(name);
        db.changeLog().tableDeleted(name);
        ObjectNode out = Requests.object();
        out.set("TableDescription", description);
        return out;
    }
}
