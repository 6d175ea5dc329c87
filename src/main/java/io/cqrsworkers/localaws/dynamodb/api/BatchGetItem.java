package io.cqrsworkers.localaws.dynamodb.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.dynamodb.model.DynamoDbException;
import io.cqrsworkers.localaws.dynamodb.expr.ExprContext;
import io.cqrsworkers.localaws.dynamodb.expr.Projection;
import io.cqrsworkers.localaws.dynamodb.model.AvJson;
import io.cqrsworkers.localaws.dynamodb.model.Item;
import io.cqrsworkers.localaws.dynamodb.store.Database;
import io.cqrsworkers.localaws.dynamodb.store.RowKey;
import io.cqrsworkers.localaws.dynamodb.store.Table;
import io.cqrsworkers.localaws.http.AwsJsonServer;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** BatchGetItem: up to 100 keys over several tables; everything is processed, UnprocessedKeys stays empty. */
final class BatchGetItem implements AwsJsonServer.Operation {

    private final Database db;

    BatchGetItem(Database db) {
        this.db = db;
    }

    @Override
    public ObjectNode handle(JsonNode req) {
        JsonNode requestItems = req.path("RequestItems");
        int total = 0;
        for (JsonNode spec : requestItems) {
            total += spec.path("Keys").size();
        }
        if (total > 100) {
            throw DynamoDbException.validation("Too many items requested for the BatchGetItem call");
        }
        ObjectNode out = Requests.object();
        ObjectNode responses = out.putObject("Responses");
        String mode = Capacity.mode(req);
        var capacity = mode == null ? null : Requests.array();
        for (Map.Entry<String, JsonNode> e : iterable(requestItems)) {
            ObjectNode tableReq = ((ObjectNode) e.getValue().deepCopy()).put("TableName", e.getKey());
            Table table = Requests.table(db, tableReq);
            ExprContext ctx = ExprContext.of(tableReq);
            Projection projection = Requests.projection(tableReq, ctx);
            ctx.checkAllUsed(tableReq.hasNonNull("ProjectionExpression"));
            ArrayNode items = responses.putArray(e.getKey());
            Set<RowKey> seen = new HashSet<>();
            Capacity.Usage usage = new Capacity.Usage(e.getKey());
            boolean consistent = tableReq.path("ConsistentRead").asBoolean(false);
            for (JsonNode key : tableReq.path("Keys")) {
                RowKey k = table.keys().keyOfKeyParam(AvJson.parseMap(key));
                if (!seen.add(k)) {
                    throw DynamoDbException.validation("Provided list of item keys contains duplicates");
                }
                Item item = table.items().get(k);
                if (item != null) {
                    items.add(Requests.project(item, projection));
                }
                // each key is read as a GetItem of its own (Developer Guide, "Capacity unit consumption")
                usage.tableUnits += Capacity.readUnits(item == null ? 0 : item.size(), consistent);
            }
            if (capacity != null) {
                capacity.add(usage.render(mode));
            }
        }
        out.putObject("UnprocessedKeys");
        if (capacity != null) {
            out.set("ConsumedCapacity", capacity);
        }
        return out;
    }

    static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode object) {
        return object::fields;
    }
}
