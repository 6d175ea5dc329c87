package io.cqrsworkers.localaws.dynamodb.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.dynamodb.model.DynamoDbException;
import io.cqrsworkers.localaws.dynamodb.expr.ExprContext;
import io.cqrsworkers.localaws.dynamodb.expr.Projection;
import io.cqrsworkers.localaws.dynamodb.model.Item;
import io.cqrsworkers.localaws.dynamodb.store.Database;
import io.cqrsworkers.localaws.dynamodb.store.RowKey;
import io.cqrsworkers.localaws.dynamodb.store.Table;
import io.cqrsworkers.localaws.http.AwsJsonServer;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** TransactGetItems: a consistent snapshot of up to 100 items, read with their tables locked. */
final class TransactGetItems implements AwsJsonServer.Operation {

    private final Database db;

    TransactGetItems(Database db) {
        this.db = db;
    }

    private record Get(Table table, RowKey key, Projection projection) {
    }

    @Override
    public ObjectNode handle(JsonNode req) {
        JsonNode items = req.path("TransactItems");
        if (items.isEmpty() || items.size() > 100) {
            throw DynamoDbException.validation("1 validation error detected: Value at 'transactItems' failed to "
                    + "satisfy constraint: Member must have length less than or equal to 100, Member must have length "
                    + "greater than or equal to 1");
        }
        List<Get> gets = new ArrayList<>();
        for (JsonNode entry : items) {
            JsonNode spec = entry.get("Get");
            if (spec == null) {
                throw DynamoDbException.validation("TransactItems can only contain Get");
            }
            Table table = Requests.table(db, spec);
            ExprContext ctx = ExprContext.of(spec);
            Projection projection = Requests.projection(spec, ctx);
            ctx.checkAllUsed(spec.hasNonNull("ProjectionExpression"));
            gets.add(new Get(table, table.keys().keyOfKeyParam(Requests.map(spec, "Key")), projection));
        }
        TreeMap<String, Table> tables = new TreeMap<>();
        gets.forEach(g -> tables.put(g.table().name(), g.table()));
        ObjectNode out = Requests.object();
        ArrayNode responses = out.putArray("Responses");
        String mode = Capacity.mode(req);
        java.util.Map<String, Capacity.Usage> usage = new java.util.LinkedHashMap<>();
        tables.values().forEach(t -> t.lock().lock());
        try {
            for (Get g : gets) {
                Item item = g.table().items().get(g.key());
                // a transactional read costs twice a consistent read (Developer Guide)
                usage.computeIfAbsent(g.table().name(), Capacity.Usage::new).tableUnits +=
                        2 * Capacity.readUnits(item == null ? 0 : item.size(), true);
                ObjectNode r = responses.addObject();
                if (item != null) {
                    r.set("Item", Requests.project(item, g.projection()));
                }
            }
        } finally {
            tables.descendingMap().values().forEach(t -> t.lock().unlock());
        }
        if (mode != null) {
            ArrayNode list = out.putArray("ConsumedCapacity");
            usage.values().forEach(u -> list.add(u.render(mode)));
        }
        return out;
    }
}
