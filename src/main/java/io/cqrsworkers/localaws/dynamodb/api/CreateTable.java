package io.cqrsworkers.localaws.dynamodb.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.dynamodb.model.DynamoDbException;
import io.cqrsworkers.localaws.dynamodb.model.Av;
import io.cqrsworkers.localaws.dynamodb.store.Database;
import io.cqrsworkers.localaws.dynamodb.store.IndexDef;
import io.cqrsworkers.localaws.dynamodb.store.KeySchema;
import io.cqrsworkers.localaws.dynamodb.store.Table;
import io.cqrsworkers.localaws.http.AwsJsonServer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** CreateTable: the table is ACTIVE at once (AWS answers CREATING first; waiters accept both). */
final class CreateTable implements AwsJsonServer.Operation {

    private final Database db;

    CreateTable(Database db) {
        this.db = db;
    }

    @Override
    public ObjectNode handle(JsonNode req) {
        String name = Requests.required(req, "TableName", "tableName");
        if (name.length() < 3 || name.length() > 255 || !name.matches("[a-zA-Z0-9_.-]+")) {
            throw DynamoDbException.validation("1 validation error detected: Value '" + name + "' at 'tableName' "
                    + "failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
                    + " and have length between 3 and 255");
        }
        Map<String, Av.Type> types = TableSpecs.attributeTypes(req.get("AttributeDefinitions"));
        Set<String> used = new HashSet<>();
        KeySchema keys = TableSpecs.keySchema(req.get("KeySchema"), types, used);
        List<IndexDef> indexes = new ArrayList<>();
        req.path("LocalSecondaryIndexes").forEach(s -> indexes.add(TableSpecs.index(s, false, types, used)));
        req.path("GlobalSecondaryIndexes").forEach(s -> indexes.add(TableSpecs.index(s, true, types, used)));
        for (IndexDef i : indexes) {
            if (!i.global() && !i.keys().hashName().equals(keys.hashName())) {
                throw DynamoDbException.validation("One or more parameter values were invalid: Index KeySchema does "
                        + "not have the same leading hash key as table KeySchema for index: " + i.name()
                        + ". index hash key: " + i.keys().hashName() + ", table hash key: " + keys.hashName());
            }
        }
        if (used.size() != types.size()) {
            throw DynamoDbException.validation("One or more parameter values were invalid: Number of attributes in "
                    + "KeySchema does not exactly match number of attributes defined in AttributeDefinitions");
        }
        ObjectNode settings = settings(req);
        JsonNode stream = req.path("StreamSpecification");
        String viewType = stream.path("StreamEnabled").asBoolean(false) ? TableSpecs.streamViewType(stream) : null;
        if (db.findTable(name) != null) {
            throw DynamoDbException.inUse("Table already exists: " + name);
        }
        Table table = db.createTable(name, null, null, keys, req.get("AttributeDefinitions").deepCopy(), settings,
                indexes);
        if (viewType != null) {
            db.enableStream(table, viewType, null);
        }
        db.changeLog().tableChanged(table);
        ObjectNode out = Requests.object();
        table.beginTransition("CREATING");
        // DynamoDB answers CreateTable with CREATING whatever the delay (API reference, CreateTable)
        out.set("TableDescription", table.describe("CREATING"));
        return out;
    }

    private static ObjectNode settings(JsonNode req) {
        String billing = Requests.text(req, "BillingMode");
        JsonNode pt = req.get("ProvisionedThroughput");
        boolean hasThroughput = pt != null && !pt.isNull();
        if ("PAY_PER_REQUEST".equals(billing) && hasThroughput) {
            throw DynamoDbException.validation("One or more parameter values were invalid: Neither "
                    + "ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
        }
        if (!"PAY_PER_REQUEST".equals(billing) && !hasThroughput) {
            throw DynamoDbException.validation("One or more parameter values were invalid: ReadCapacityUnits and "
                    + "WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
        }
        ObjectNode s = Requests.object();
        s.put("BillingMode", billing == null ? "PROVISIONED" : billing);
        if (hasThroughput) {
            s.set("ProvisionedThroughput", pt.deepCopy());
        }
        s.put("DeletionProtectionEnabled", req.path("DeletionProtectionEnabled").asBoolean(false));
        if (req.hasNonNull("TableClass")) {
            s.put("TableClass", req.get("TableClass").asText());
        }
        s.set("Tags", req.has("Tags") ? req.get("Tags").deepCopy() : Requests.array());
        return s;
    }
}
