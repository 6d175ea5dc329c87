package io.cqrsworkers.localaws.dynamodb.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.dynamodb.model.DynamoDbException;
import io.cqrsworkers.localaws.dynamodb.expr.Cond;
import io.cqrsworkers.localaws.dynamodb.expr.ExprContext;
import io.cqrsworkers.localaws.dynamodb.expr.Parser;
import io.cqrsworkers.localaws.dynamodb.expr.Projection;
import io.cqrsworkers.localaws.dynamodb.expr.UpdatePlan;
import io.cqrsworkers.localaws.dynamodb.model.Av;
import io.cqrsworkers.localaws.dynamodb.model.AvJson;
import io.cqrsworkers.localaws.dynamodb.model.Item;
import io.cqrsworkers.localaws.dynamodb.store.Database;
import io.cqrsworkers.localaws.dynamodb.store.RowKey;
import io.cqrsworkers.localaws.dynamodb.store.Table;
import io.cqrsworkers.localaws.http.AwsJsonServer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** UpdateItem: UpdateExpression or legacy AttributeUpdates; creates the item when it does not exist. */
final class UpdateItem implements AwsJsonServer.Operation {

    private static final Set<String> RETURN_VALUES = Set.of("NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW");

    private final Database db;

    UpdateItem(Database db) {
        this.db = db;
    }

    record Prepared(Table table, RowKey key, Map<String, Av> keyAttributes, UpdatePlan plan, Cond condition) {

        /** The item after the update, validated. */
        Item applyTo(Item old) {
            Map<String, Av> map = old != null ? old.toMap() : new LinkedHashMap<>(keyAttributes);
            if (plan != null) {
                plan.apply(map, old != null ? old::get : keyAttributes::get);
            }
            Item item = Item.of(map);
            Requests.checkItem(table, item, Requests.UPDATED_ITEM_TOO_LARGE);
            return item;
        }
    }

    static Prepared prepare(Database db, JsonNode req) {
        Table table = Requests.table(db, req);
        Map<String, Av> keyAttributes = Requests.map(req, "Key");
        RowKey key = table.keys().keyOfKeyParam(keyAttributes);
        ExprContext ctx = ExprContext.of(req);
        String expr = Requests.text(req, "UpdateExpression");
        JsonNode legacy = req.get("AttributeUpdates");
        if (expr != null && legacy != null && !legacy.isNull()) {
            throw Requests.mixed("AttributeUpdates", "UpdateExpression");
        }
        UpdatePlan plan = expr != null ? Parser.update(expr, ctx)
                : legacy != null && !legacy.isNull() ? attributeUpdates(legacy) : null;
        Cond condition = Requests.condition(req, ctx);
        ctx.checkAllUsed(expr != null || req.hasNonNull("ConditionExpression"));
        if (plan != null) {
            for (String name : plan.topLevelNames()) {
                if (table.keys().isKey(name)) {
                    throw DynamoDbException.validation("One or more parameter values were invalid: Cannot update "
                            + "attribute " + name + ". This attribute is part of the key");
                }
            }
        }
        return new Prepared(table, key, keyAttributes, plan, condition);
    }

    private static UpdatePlan attributeUpdates(JsonNode updates) {
        UpdatePlan plan = UpdatePlan.of();
        updates.fields().forEachRemaining(e -> {
            String action = e.getValue().path("Action").asText("PUT");
            JsonNode value = e.getValue().get("Value");
            Av v = value == null || value.isNull() ? null : AvJson.parse(value);
            switch (action) {
                case "PUT" -> {
                    if (v == null) {
                        throw DynamoDbException.validation("One or more parameter values were invalid: Only DELETE "
                                + "action is allowed when no attribute value is specified");
                    }
                    plan.put(e.getKey(), v);
                }
                case "ADD" -> {
                    if (v == null) {
                        throw DynamoDbException.validation("One or more parameter values were invalid: Only DELETE "
                                + "action is allowed when no attribute value is specified");
                    }
                    plan.add(e.getKey(), v);
                }
                default -> {
                    if (v == null) {
                        plan.remove(e.getKey());
                    } else {
                        plan.delete(e.getKey(), v);
                    }
                }
            }
        });
        return plan;
    }

    @Override
    public ObjectNode handle(JsonNode req) {
        String returnValues = Requests.text(req, "ReturnValues");
        if (returnValues != null && !RETURN_VALUES.contains(returnValues)) {
            throw DynamoDbException.validation("1 validation error detected: Value '" + returnValues + "' at "
                    + "'returnValues' failed to satisfy constraint: Member must satisfy enum value set: "
                    + "[ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]");
        }
        Prepared p = prepare(db, req);
        Item old;
        Item updated;
        p.table().lock().lock();
        try {
            old = p.table().items().get(p.key());
            if (p.condition() != null && !p.condition().test(Requests.view(old))) {
                throw Requests.conditionFailed(req, old);
            }
            updated = p.applyTo(old);
            if (p.plan() != null && p.plan().writeCost(updated::get) > Requests.MAX_ITEM_SIZE) {
                // standalone UpdateItem also measures what it writes plus a cost per action (UpdatePlan.writeCost)
                throw DynamoDbException.validation(Requests.UPDATED_ITEM_TOO_LARGE);
            }
            p.table().commit(p.key(), old, updated, false);
        } finally {
            p.table().lock().unlock();
        }
        ObjectNode out = Requests.object();
        Map<String, Av> attributes = switch (returnValues == null ? "NONE" : returnValues) {
            case "ALL_OLD" -> old == null ? null : old.toMap();
            case "ALL_NEW" -> updated.toMap();
            case "UPDATED_OLD" -> updatedOnly(old, p.plan());
            case "UPDATED_NEW" -> updatedOnly(updated, p.plan());
            default -> null;
        };
        if (attributes != null && !attributes.isEmpty()) {
            out.set("Attributes", AvJson.writeMap(attributes));
        }
        Capacity.putWrite(req, out, p.table(), old, updated);
        return out;
    }

    /** The values at the paths the update wrote, nested as in the item (AWS's UPDATED_OLD / UPDATED_NEW). */
    private static Map<String, Av> updatedOnly(Item item, UpdatePlan plan) {
        return item == null || plan == null ? null : new Projection(plan.paths()).apply(item);
    }
}
