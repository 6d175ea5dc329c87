package io.cqrsworkers.localaws.dynamodb.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
import io.cqrsworkers.localaws.dynamodb.store.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Request reading shared by the item operations. */
final class Requests {

    static final int MAX_ITEM_SIZE = 400 * 1024;
    static final Function<String, Av> NO_ITEM = name -> null;

    private Requests() {
    }

    static String text(JsonNode req, String field) {
        JsonNode n = req.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    static String required(JsonNode req, String field, String wireName) {
        String v = text(req, field);
        if (v == null) {
            throw DynamoDbException.validation("1 validation error detected: Value null at '" + wireName
                    + "' failed to satisfy constraint: Member must not be null");
        }
        return v;
    }

    static Table table(Database db, JsonNode req) {
        Table t = db.findTable(required(req, "TableName", "tableName"));
        String status = t == null ? null : t.status();
        if (t == null || "CREATING".equals(status) || "DELETING".equals(status)) {
            // a table still CREATING or already DELETING is not found by the item operations (dynalite db/index.js
            // getTable; AWS "might continue to accept" them on a DELETING table, API reference DeleteTable)
            throw DynamoDbException.notFound("Requested resource not found");
        }
        return t;
    }

    static Function<String, Av> view(Item item) {
        return item == null ? NO_ITEM : item::get;
    }

    /** ConditionExpression or the legacy Expected map; null when there is none. */
    static Cond condition(JsonNode req, ExprContext ctx) {
        String expr = text(req, "ConditionExpression");
        JsonNode expected = req.get("Expected");
        if (expr != null && expected != null && !expected.isNull()) {
            throw mixed("Expected", "ConditionExpression");
        }
        if (expr != null) {
            return Parser.condition(expr, ctx, "ConditionExpression");
        }
        if (expected != null && !expected.isNull()) {
            return LegacyConditions.expected(expected, text(req, "ConditionalOperator"));
        }
        return null;
    }

    static DynamoDbException mixed(String legacy, String expression) {
        return DynamoDbException.validation("Can not use both expression and non-expression parameters in the same "
                + "request: Non-expression parameters: {" + legacy + "} Expression parameters: {" + expression + "}");
    }

    /** ProjectionExpression or legacy AttributesToGet; null for all attributes. */
    static Projection projection(JsonNode req, ExprContext ctx) {
        String expr = text(req, "ProjectionExpression");
        JsonNode attrs = req.get("AttributesToGet");
        if (expr != null && attrs != null && !attrs.isNull()) {
            throw mixed("AttributesToGet", "ProjectionExpression");
        }
        if (expr != null) {
            return new Projection(Parser.projection(expr, ctx));
        }
        if (attrs != null && !attrs.isNull()) {
            List<String> names = new ArrayList<>();
            attrs.forEach(a -> names.add(a.asText()));
            return Projection.ofAttributes(names);
        }
        return null;
    }

    static JsonNode project(Item item, Projection projection) {
        return projection == null ? AvJson.writeItem(item) : AvJson.writeMap(projection.apply(item));
    }

    /** DynamoDB's text for a Put over 400 KB ([dynalite] validations/putItem.js, recorded). */
    static final String ITEM_TOO_LARGE = "Item size has exceeded the maximum allowed size";
    /** ... and for an update whose item would be over 400 KB ([dynalite] actions/updateItem.js, recorded). */
    static final String UPDATED_ITEM_TOO_LARGE = "Item size to update has exceeded the maximum allowed size";

    /** Rejects items over 400 KB and index key attributes of the wrong type. */
    static void checkItem(Table table, Item item) {
        checkItem(table, item, ITEM_TOO_LARGE);
    }

    /** The same, with the text of the operation that wrote the item. */
    static void checkItem(Table table, Item item, String tooLarge) {
        if (item.size() > MAX_ITEM_SIZE) {
            throw DynamoDbException.validation(tooLarge);
        }
        for (IndexDef index : table.indexes()) {
            checkIndexKey(index, item, index.keys().hashName(), index.keys().hashType());
            if (index.keys().rangeName() != null) {
                checkIndexKey(index, item, index.keys().rangeName(), index.keys().rangeType());
            }
        }
    }

    private static void checkIndexKey(IndexDef index, Item item, String name, Av.Type type) {
        Av v = item.get(name);
        if (v == null) {
            return;
        }
        if (v.type() != type) {
            throw DynamoDbException.validation("One or more parameter values were invalid: Type mismatch for Index Key "
                    + name + " Expected: " + type + " Actual: " + v.type() + " IndexName: " + index.name());
        }
        if (v.type() == Av.Type.S && v.s().isEmpty() || v.type() == Av.Type.B && v.b().bytes().length == 0) {
            throw DynamoDbException.validation("One or more parameter values are not valid. A value specified for a "
                    + "secondary index key is not supported. The AttributeValue for a key attribute cannot contain an "
                    + "empty " + (v.type() == Av.Type.S ? "string" : "binary") + " value. IndexName: " + index.name()
                    + ", IndexKey: " + name);
        }
    }

    /** The item returned with ReturnValuesOnConditionCheckFailure=ALL_OLD, as extra error fields. */
    static DynamoDbException conditionFailed(JsonNode req, Item old) {
        if (old != null && "ALL_OLD".equals(text(req, "ReturnValuesOnConditionCheckFailure"))) {
            ObjectNode extra = JsonNodeFactory.instance.objectNode();
            extra.set("Item", AvJson.writeItem(old));
            return new DynamoDbException("ConditionalCheckFailedException", "The conditional request failed", 400, extra);
        }
        return DynamoDbException.conditionFailed();
    }

    static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    static Map<String, Av> map(JsonNode req, String field) {
        return AvJson.parseMap(req.get(field));
    }
}
