package io.cqrsworkers.localaws.dynamodb.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.dynamodb.model.DynamoDbException;
import io.cqrsworkers.localaws.dynamodb.model.Av;
import io.cqrsworkers.localaws.dynamodb.store.Database;
import io.cqrsworkers.localaws.dynamodb.store.IndexDef;
import io.cqrsworkers.localaws.dynamodb.store.Table;
import io.cqrsworkers.localaws.http.AwsJsonServer;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * UpdateTable: streams on/off, GSIs added (backfilled at once) or removed, billing and protection settings. One update
 * of a table at a time, as in DynamoDB (API reference, UpdateTable: "While it's UPDATING, you can't issue another
 * UpdateTable request"): the request runs under the table's lock, and with a status delay the table stays UPDATING
 * (a GSI it adds CREATING) for the delay, refusing other updates with ResourceInUseException. The answer shows
 * UPDATING (and the new GSI CREATING) whatever the delay, as CreateTable answers CREATING.
 */
final class UpdateTable implements AwsJsonServer.Operation {

    private final Database db;

    UpdateTable(Database db) {
        this.db = db;
    }

    @Override
    public ObjectNode handle(JsonNode req) {
        String name = Requests.required(req, "TableName", "tableName");
        Table table = db.findTable(name);
        if (table == null) {
            throw notFound(name);
        }
        table.lock().lock();
        try {
            // checked under the lock: the table may have been deleted meanwhile
            if (db.findTable(name) != table || "DELETING".equals(table.status())) {
                throw notFound(name);
            }
            return update(table, req);
        } finally {
            table.lock().unlock();
        }
    }

    private static DynamoDbException notFound(String name) {
        // [dynalite] test/updateTable.js "should return ResourceNotFoundException if table does not exist"
        return DynamoDbException.notFound("Requested resource not found: Table: " + name + " not found");
    }

    private ObjectNode update(Table table, JsonNode req) {
        String status = table.status();
        if ("CREATING".equals(status)) {
            // [dynalite] test/updateTable.js "should reject updates while table is in CREATING state" (recorded)
            throw DynamoDbException.inUse("Attempt to change a resource which is still in use: Table is being created: "
                    + table.name());
        }
        if ("UPDATING".equals(status)) {
            // [capture] DynamoDB's answer quoted in sebdah/dynamic-dynamodb#36 ("... Table is being updated:
            // prod-displays-20130426")
            throw DynamoDbException.inUse("Attempt to change a resource which is still in use: Table is being updated: "
                    + table.name());
        }
        ArrayNode defs = (ArrayNode) table.attributeDefinitions().deepCopy();
        Set<String> known = new HashSet<>();
        defs.forEach(d -> known.add(d.path("AttributeName").asText()));
        req.path("AttributeDefinitions").forEach(d -> {
            if (known.add(d.path("AttributeName").asText())) {
                defs.add(d.deepCopy());
            }
        });
        Map<String, Av.Type> types = TableSpecs.attributeTypes(defs);
        String created = null;
        for (JsonNode update : req.path("GlobalSecondaryIndexUpdates")) {
            if (update.has("Create")) {
                JsonNode spec = update.get("Create");
                if (table.index(spec.path("IndexName").asText()) != null) {
                    // [capture] haskell-mafia/spine src/Spine/Schema.hs, waiter indexExists: DynamoDB's text for an
                    // index that exists and is no longer being created (while it is, the table is UPDATING: above)
                    throw DynamoDbException.validation("Attempting to create an index which already exists");
                }
                IndexDef index = TableSpecs.index(spec, true, types, new HashSet<>());
                table.attributeDefinitions(defs);
                table.addIndex(index);
                created = index.name();
            } else if (update.has("Delete")) {
                String name = update.get("Delete").path("IndexName").asText();
                if (table.index(name) == null) {
                    throw DynamoDbException.notFound("Requested resource not found: Requested index " + name
                            + " not found for table " + table.name());
                }
                table.removeIndex(name);
            }
        }
        JsonNode stream = req.get("StreamSpecification");
        if (stream != null && !stream.isNull()) {
            boolean enable = stream.path("StreamEnabled").asBoolean(false);
            boolean enabled = table.stream() != null && table.stream().isEnabled();
            if (enable && enabled) {
                throw DynamoDbException.validation("Table already has an enabled stream: " + table.stream().arn());
            }
            if (!enable && !enabled) {
                throw DynamoDbException.validation("Table already has no stream enabled");
            }
            if (enable) {
                db.enableStream(table, TableSpecs.streamViewType(stream), null);
            } else {
                table.stream(null);
            }
        }
        ObjectNode settings = table.settings().deepCopy();
        if (req.hasNonNull("BillingMode")) {
            settings.put("BillingMode", req.get("BillingMode").asText());
            if ("PAY_PER_REQUEST".equals(req.get("BillingMode").asText())) {
                settings.remove("ProvisionedThroughput");
            }
        }
        if (req.hasNonNull("ProvisionedThroughput")) {
            settings.set("ProvisionedThroughput", req.get("ProvisionedThroughput").deepCopy());
        }
        if (req.hasNonNull("DeletionProtectionEnabled")) {
            settings.put("DeletionProtectionEnabled", req.get("DeletionProtectionEnabled").asBoolean());
        }
        if (req.hasNonNull("TableClass")) {
            settings.put("TableClass", req.get("TableClass").asText());
        }
        table.settings(settings);
        db.changeLog().tableChanged(table);
        ObjectNode out = Requests.object();
        table.beginTransition("UPDATING", created);
        out.set("TableDescription", table.describe("UPDATING", created));
        return out;
    }
}
