package io.cqrsworkers.localaws.dynamodb.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.dynamodb.expr.ExprContext;
import io.cqrsworkers.localaws.dynamodb.expr.Projection;
import io.cqrsworkers.localaws.dynamodb.model.Item;
import io.cqrsworkers.localaws.dynamodb.store.Database;
import io.cqrsworkers.localaws.dynamodb.store.Table;
import io.cqrsworkers.localaws.http.AwsJsonServer;

/** GetItem: reads are always consistent here, so ConsistentRead changes nothing. */
final class GetItem implements AwsJsonServer.Operation {

    private final Database db;

    GetItem(Database db) {
        this.db = db;
    }

    @Override
    public ObjectNode handle(JsonNode req) {
        Table table = Requests.table(db, req);
        ExprContext ctx = ExprContext.of(req);
        Projection projection = Requests.projection(req, ctx);
        ctx.checkAllUsed(req.hasNonNull("ProjectionExpression"));
        Item item = table.items().get(table.keys().keyOfKeyParam(Requests.map(req, "Key")));
        ObjectNode out = Requests.object();
        if (item != null) {
            out.set("Item", Requests.project(item, projection));
        }
        Capacity.putRead(req, out, table, null, item == null ? 0 : item.size());
        return out;
    }
}
