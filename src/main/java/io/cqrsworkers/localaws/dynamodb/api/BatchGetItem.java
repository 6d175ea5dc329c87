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

/**
 * BatchGetItem: up to 100 keys over several tables, read in the request's order until the items read reach the
 * 16 MB answer limit; the keys from there on are answered in UnprocessedKeys with their table's other parameters, as
 * DynamoDB answers "so as not to exceed the 16 MB limit" (API reference). Nothing is throttled locally, so the size
 * is the only reason for an unprocessed key.
 */
final class BatchGetItem implements AwsJsonServer.Operation {

    /**
     * The answer limit. The API reference's own example ("if you ask to retrieve 100 items, but each individual item
     * is 300 KB in size, the system returns 52 items") comes out with 300 KB items (307,200 bytes) only when "16 MB"
     * is 16,000,000 bytes (16 MiB would hold 54), so that is the reading taken; items count with their size as stored.
     */
    static final long MAX_ANSWER_BYTES = 16_000_000;

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
        ObjectNode unprocessed = Requests.object();
        String mode = Capacity.mode(req);
        var capacity = mode == null ? null : Requests.array();
        long answerBytes = 0;
        boolean full = false;
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
            ArrayNode left = null;
            for (JsonNode key : tableReq.path("Keys")) {
                RowKey k = table.keys().keyOfKeyParam(AvJson.parseMap(key));
                if (!seen.add(k)) {
                    throw DynamoDbException.validation("Provided list of item keys contains duplicates");
                }
                Item item = full ? null : table.items().get(k);
                if (item != null && answerBytes + item.size() > MAX_ANSWER_BYTES) {
                    full = true;
                }
                if (full) {
                    if (left == null) {
                        left = unprocessedFor(unprocessed, e.getKey(), e.getValue());
                    }
                    left.add(key);
                    continue;
                }
                if (item != null) {
                    answerBytes += item.size();
                    items.add(Requests.project(item, projection));
                }
                // each key is read as a GetItem of its own (Developer Guide, "Capacity unit consumption")
                usage.tableUnits += Capacity.readUnits(item == null ? 0 : item.size(), consistent);
            }
            if (capacity != null) {
                capacity.add(usage.render(mode));
            }
        }
        out.set("UnprocessedKeys", unprocessed);
        if (capacity != null) {
            out.set("ConsumedCapacity", capacity);
        }
        return out;
    }

    /** The table's entry in UnprocessedKeys: its parameters as requested, and an empty list of keys to fill. */
    private static ArrayNode unprocessedFor(ObjectNode unprocessed, String table, JsonNode spec) {
        ObjectNode entry = ((ObjectNode) spec).deepCopy();
        entry.remove("Keys");
        ArrayNode keys = entry.putArray("Keys");
        unprocessed.set(table, entry);
        return keys;
    }

    static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode object) {
        return object::fields;
    }
}
