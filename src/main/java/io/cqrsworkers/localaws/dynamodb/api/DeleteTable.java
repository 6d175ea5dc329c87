package io.cqrsworkers.localaws.dynamodb.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.dynamodb.model.DynamoDbException;
import io.cqrsworkers.localaws.dynamodb.store.Database;
import io.cqrsworkers.localaws.dynamodb.store.Table;
import io.cqrsworkers.localaws.http.AwsJsonServer;

/**
 * DeleteTable (API reference): the table is DELETING for the status delay (gone at once with the default 0),
 * then not found; a table already DELETING answers again without error; one still CREATING or UPDATING answers
 * ResourceInUseException. Its stream stays readable (DISABLED) until its records expire.
 */
final class DeleteTable implements AwsJsonServer.Operation {

    private final Database db;

    DeleteTable(Database db) {
        this.db = db;
    }

    @Override
    public ObjectNode handle(JsonNode req) {
        String name = Requests.required(req, "TableName", "tableName");
        Table existing = db.findTable(name);
        if (existing == null) {
            throw DynamoDbException.notFound("Requested resource not found: Table: " + name + " not found");
        }
        String status = existing.status();
        ObjectNode out = Requests.object();
        if ("DELETING".equals(status)) {
            // "If table is already in the DELETING state, no error is returned."
            out.set("TableDescription", description(existing));
            return out;
        }
        if ("CREATING".equals(status) || "UPDATING".equals(status)) {
            // [dynalite] test/deleteTable.js "should eventually delete" (recorded) for CREATING; UPDATING worded as
            // AWS answers UpdateTable on an UPDATING table (sebdah/dynamic-dynamodb#36)
            throw DynamoDbException.inUse("Attempt to change a resource which is still in use: Table is being "
                    + ("CREATING".equals(status) ? "created: " : "updated: ") + name);
        }
        if (existing.settings().path("DeletionProtectionEnabled").asBoolean(false)) {
            throw DynamoDbException.validation("Resource cannot be deleted as it is currently protected against "
                    + "deletion. Disable deletion protection first.");
        }
        ObjectNode description = description(existing);
        db.beginDeleteTable(name);
        db.changeLog().tableDeleted(name);
        out.set("TableDescription", description);
        return out;
    }

    /** The answer's description: DELETING, without the global secondary indexes (deleted with the table). */
    private static ObjectNode description(Table table) {
        ObjectNode d = table.describe("DELETING");
        // [dynalite] test/deleteTable.js "should eventually delete": no GlobalSecondaryIndexes in the answer
        d.remove("GlobalSecondaryIndexes");
        return d;
    }
}
