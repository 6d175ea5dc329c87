package io.cqrsworkers.localaws.dynamodb.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.dynamodb.model.DynamoDbException;
import io.cqrsworkers.localaws.dynamodb.expr.Cond;
import io.cqrsworkers.localaws.dynamodb.expr.ExprContext;
import io.cqrsworkers.localaws.dynamodb.expr.LegacyConditions;
import io.cqrsworkers.localaws.dynamodb.expr.Parser;
import io.cqrsworkers.localaws.dynamodb.expr.Projection;
import io.cqrsworkers.localaws.dynamodb.model.Av;
import io.cqrsworkers.localaws.dynamodb.model.AvJson;
import io.cqrsworkers.localaws.dynamodb.model.Item;
import io.cqrsworkers.localaws.dynamodb.store.Database;
import io.cqrsworkers.localaws.dynamodb.store.IndexDef;
import io.cqrsworkers.localaws.dynamodb.store.KeySchema;
import io.cqrsworkers.localaws.dynamodb.store.RowKey;
import io.cqrsworkers.localaws.dynamodb.store.Table;

import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.function.Predicate;

/**
 * What Query and Scan share: table or index, filter, projection, Select, Limit, the start key, and the paging
 * loop with AWS's rules (Limit counts items read before the filter; a page stops after 1 MB read).
 */
final class ReadPlan {

    private static final int PAGE_BYTES = 1024 * 1024;

    final Table table;
    final IndexDef index;
    final ExprContext ctx;
    final Cond filter;
    final Projection projection;
    final String select;
    final int limit;
    final Map<String, Av> startKey;
    /** The size of the items read by {@link #page}, for ConsumedCapacity. */
    long bytesRead;

    ReadPlan(Database db, JsonNode req, String filterExpressionName, String legacyFilterName) {
        table = Requests.table(db, req);
        String indexName = Requests.text(req, "IndexName");
        index = indexName == null ? null : table.index(indexName);
        if (indexName != null && index == null) {
            throw DynamoDbException.validation("The table does not have the specified index: " + indexName);
        }
        if (index != null && index.global() && req.path("ConsistentRead").asBoolean(false)) {
            throw DynamoDbException.validation("Consistent reads are not supported on global secondary indexes");
        }
        ctx = ExprContext.of(req);
        String filterExpr = Requests.text(req, filterExpressionName);
        JsonNode legacy = req.get(legacyFilterName);
        if (filterExpr != null && legacy != null && !legacy.isNull()) {
            throw Requests.mixed(legacyFilterName, filterExpressionName);
        }
        filter = filterExpr != null ? Parser.condition(filterExpr, ctx, filterExpressionName)
                : legacy != null && !legacy.isNull()
                ? LegacyConditions.conditions(legacy, Requests.text(req, "ConditionalOperator")) : null;
        projection = Requests.projection(req, ctx);
        String sel = Requests.text(req, "Select");
        if (sel == null) {
            sel = projection != null ? "SPECIFIC_ATTRIBUTES" : index != null ? "ALL_PROJECTED_ATTRIBUTES" : "ALL_ATTRIBUTES";
        } else if (projection != null && !sel.equals("SPECIFIC_ATTRIBUTES")) {
            throw DynamoDbException.validation("Cannot specify the AttributesToGet when choosing to get " + sel);
        }
        if (sel.equals("ALL_PROJECTED_ATTRIBUTES") && index == null) {
            throw DynamoDbException.validation("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an "
                    + "IndexName");
        }
        if (sel.equals("SPECIFIC_ATTRIBUTES") && projection == null) {
            throw DynamoDbException.validation("SPECIFIC_ATTRIBUTES requires a ProjectionExpression or "
                    + "AttributesToGet");
        }
        if (sel.equals("ALL_ATTRIBUTES") && index != null && index.global() && !index.projectionType().equals("ALL")) {
            throw DynamoDbException.validation("One or more parameter values were invalid: Select type ALL_ATTRIBUTES "
                    + "is not supported for global secondary index " + index.name()
                    + " because its projection type is not ALL");
        }
        select = sel;
        JsonNode lim = req.get("Limit");
        limit = lim == null || lim.isNull() ? Integer.MAX_VALUE : lim.asInt();
        if (limit < 1) {
            throw DynamoDbException.validation("1 validation error detected: Value '" + limit + "' at 'limit' failed "
                    + "to satisfy constraint: Member must have value greater than or equal to 1");
        }
        JsonNode esk = req.get("ExclusiveStartKey");
        startKey = esk == null || esk.isNull() ? null : AvJson.parseMap(esk);
    }

    KeySchema keys() {
        return index != null ? index.keys() : table.keys();
    }

    NavigableMap<RowKey, Item> map() {
        return index != null ? table.indexItems(index.name()) : table.items();
    }

    /** The map position of ExclusiveStartKey, or null. */
    RowKey startRowKey() {
        if (startKey == null) {
            return null;
        }
        try {
            if (index == null) {
                return table.keys().keyOfKeyParam(startKey);
            }
            KeySchema tk = table.keys();
            Map<String, Av> tableKey = new java.util.LinkedHashMap<>();
            tableKey.put(tk.hashName(), startKey.get(tk.hashName()));
            if (tk.rangeName() != null) {
                tableKey.put(tk.rangeName(), startKey.get(tk.rangeName()));
            }
            RowKey base = tk.keyOfKeyParam(tableKey);
            Av h = startKey.get(index.keys().hashName());
            Av r = index.keys().rangeName() == null ? null : startKey.get(index.keys().rangeName());
            if (h == null || index.keys().rangeName() != null && r == null) {
                throw DynamoDbException.validation("The provided key element does not match the schema");
            }
            return new RowKey(h, r, base, 0);
        } catch (DynamoDbException e) {
            throw DynamoDbException.validation("The provided starting key is invalid: " + e.getMessage());
        }
    }

    /** Runs the paging loop over {@code entries}; {@code inRange} false ends the page early (key ranges). */
    ObjectNode page(Iterator<Map.Entry<RowKey, Item>> entries, Predicate<Item> inRange, Predicate<Item> keyTest) {
        ObjectNode out = Requests.object();
        ArrayNode items = select.equals("COUNT") ? null : out.putArray("Items");
        int scanned = 0;
        int count = 0;
        long bytes = 0;
        Item last = null;
        boolean more = false;
        while (entries.hasNext()) {
            if (scanned >= limit || bytes >= PAGE_BYTES) {
                more = true;
                break;
            }
            Item item = entries.next().getValue();
            if (!inRange.test(item)) {
                break;
            }
            if (!keyTest.test(item)) {
                continue;
            }
            scanned++;
            bytes += item.size();
            last = item;
            if (filter == null || filter.test(item::get)) {
                count++;
                if (items != null) {
                    items.add(render(item));
                }
            }
        }
        bytesRead = bytes;
        if (more && last != null) {
            out.set("LastEvaluatedKey", AvJson.writeMap(lastKey(last)));
        }
        out.put("Count", count);
        out.put("ScannedCount", scanned);
        return out;
    }

    private JsonNode render(Item item) {
        Item visible = item;
        if (index != null && !select.equals("ALL_ATTRIBUTES") && !index.projectionType().equals("ALL")) {
            visible = Item.of(index.project(item, table.keys()));
        }
        return Requests.project(visible, projection);
    }

    private Map<String, Av> lastKey(Item item) {
        Map<String, Av> key = table.keys().keyAttributes(item);
        if (index != null) {
            key.putAll(index.keys().keyAttributes(item));
        }
        return key;
    }

    void checkUsed(boolean anyExpression) {
        ctx.checkAllUsed(anyExpression);
    }
}
