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

/** UpdateTable: streams on/off, GSIs added (backfilled at once) or removed, billing and protection settings. */
final class UpdateTable implements AwsJsonServer.Operation {

    private final Database db;

    UpdateTable(Database db) {
        this.db = db;
    }

    @Override
    public ObjectNode handle(JsonNode req) {
        Table table = Requests.table(db, req);
        ArrayNode defs = (ArrayNode) table.attributeDefinitions().deepCopy();
        Set<String> known = new HashSet<>();
        defs.forEach(d -> known.add(d.path("AttributeName").asText()));
        req.path("AttributeDefinitions").forEach(d -> {
            if (known.add(d.path("AttributeName").asText())) {
                defs.add(d.deepCopy());
            }
        });
        Map<String, Av.Type> types = TableSpecs.attributeTypes(defs);
        for (JsonNode update : req.path("GlobalSecondaryIndexUpdates")) {
            if (update.has("Create")) {
                JsonNode spec = update.get("Create");
                if (table.index(spec.path("IndexName").asText()) != null) {
                    throw DynamoDbException.validation("One or more parameter values were invalid: Index with name: "
                            + spec.path("IndexName").asText() + " already exists");
                }
                IndexDef index = TableSpecs.index(spec, true, types, new HashSet<>());
                table.attributeDefinitions(defs);
                table.addIndex(index);
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
        table.beginTransition("UPDATING");
        out.set("TableDescription", table.describe(table.status()));
        return out;
    }
}
