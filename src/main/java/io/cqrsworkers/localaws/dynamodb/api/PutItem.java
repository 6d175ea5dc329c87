package io.cqrsworkers.localaws.dynamodb.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.dynamodb.model.DynamoDbException;
import io.cqrsworkers.localaws.dynamodb.expr.Cond;
import io.cqrsworkers.localaws.dynamodb.expr.ExprContext;
import io.cqrsworkers.localaws.dynamodb.model.AvJson;
import io.cqrsworkers.localaws.dynamodb.model.Item;
import io.cqrsworkers.localaws.dynamodb.store.Database;
import io.cqrsworkers.localaws.dynamodb.store.RowKey;
import io.cqrsworkers.localaws.dynamodb.store.Table;
import io.cqrsworkers.localaws.http.AwsJsonServer;

/** PutItem: replaces a whole item, optionally under a condition. */
final class PutItem implements AwsJsonServer.Operation {

    private final Database db;

    PutItem(Database db) {
        this.db = db;
    }

    /** A validated put, shared with BatchWriteItem and TransactWriteItems. */
    record Prepared(Table table, RowKey key, Item item, Cond condition) {
    }

    static Prepared prepare(Database db, JsonNode req) {
        Table table = Requests.table(db, req);
        JsonNode itemNode = req.get("Item");
        if (itemNode == null || itemNode.isNull()) {
            throw DynamoDbException.validation("1 validation error detected: Value null at 'item' failed to satisfy "
                    + "constraint: Member must not be null");
        }
        var attributes = AvJson.parseMap(itemNode);
        RowKey key = table.keys().keyOfItem(attributes);
        Item item = Item.of(attributes);
        Requests.checkItem(table, item);
        ExprContext ctx = ExprContext.of(req);
        Cond condition = Requests.condition(req, ctx);
        ctx.checkAllUsed(req.hasNonNull("ConditionExpression"));
        return new Prepared(table, key, item, condition);
    }

    @Override
    public ObjectNode handle(JsonNode req) {
        String returnValues = Requests.text(req, "ReturnValues");
        if (returnValues != null && !returnValues.equals("NONE") && !returnValues.equals("ALL_OLD")) {
            throw DynamoDbException.validation("ReturnValues can only be ALL_OLD or NONE");
        }
        Prepared p = prepare(db, req);
        Item old;
        p.table().lock().lock();
        try {
            old = p.table().items().get(p.key());
            if (p.condition() != null && !p.condition().test(Requests.view(old))) {
                throw Requests.conditionFailed(req, old);
            }
            p.table().commit(p.key(), old, p.item(), false);
        } finally {
            p.table().lock().unlock();
        }
        ObjectNode out = Requests.object();
        if ("ALL_OLD".equals(returnValues) && old != null) {
            out.set("Attributes", AvJson.writeItem(old));
        }
        Capacity.putWrite(req, out, p.table(), old, p.item());
        return out;
    }
}
