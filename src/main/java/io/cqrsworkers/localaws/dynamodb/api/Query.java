package io.cqrsworkers.localaws.dynamodb.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.dynamodb.model.DynamoDbException;
import io.cqrsworkers.localaws.dynamodb.expr.Cond;
import io.cqrsworkers.localaws.dynamodb.expr.LegacyConditions;
import io.cqrsworkers.localaws.dynamodb.expr.Operand;
import io.cqrsworkers.localaws.dynamodb.expr.Parser;
import io.cqrsworkers.localaws.dynamodb.model.Av;
import io.cqrsworkers.localaws.dynamodb.model.AvJson;
import io.cqrsworkers.localaws.dynamodb.model.Item;
import io.cqrsworkers.localaws.dynamodb.store.Database;
import io.cqrsworkers.localaws.dynamodb.store.KeySchema;
import io.cqrsworkers.localaws.dynamodb.store.RowKey;
import io.cqrsworkers.localaws.http.AwsJsonServer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.function.Predicate;

/** Query: one partition of a table or index, in sort-key order, narrowed by the sort-key condition. */
final class Query implements AwsJsonServer.Operation {

    private final Database db;

    Query(Database db) {
        this.db = db;
    }

    @Override
    public ObjectNode handle(JsonNode req) {
        ReadPlan plan = new ReadPlan(db, req, "FilterExpression", "QueryFilter");
        String expr = Requests.text(req, "KeyConditionExpression");
        JsonNode legacy = req.get("KeyConditions");
        Cond keyCondition;
        if (expr != null && legacy != null && !legacy.isNull()) {
            throw Requests.mixed("KeyConditions", "KeyConditionExpression");
        } else if (expr != null) {
            keyCondition = Parser.condition(expr, plan.ctx, "KeyConditionExpression");
        } else if (legacy != null && !legacy.isNull()) {
            keyCondition = LegacyConditions.conditions(legacy, null);
        } else {
            throw DynamoDbException.validation(
                    "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
        }
        plan.checkUsed(expr != null || req.hasNonNull("FilterExpression") || req.hasNonNull("ProjectionExpression"));
        KeySchema keys = plan.keys();
        if (plan.filter != null) {
            checkFilterAvoidsKeys(plan.filter, keys);
        }
        List<Cond> parts = new ArrayList<>();
        flatten(keyCondition, parts);
        Av hash = null;
        Cond rangeCond = null;
        for (Cond c : parts) {
            String attr = attribute(c);
            if (attr.equals(keys.hashName())) {
                if (hash != null) {
                    throw DynamoDbException.validation(
                            "KeyConditionExpressions must only contain one condition per key");
                }
                if (!(c instanceof Cond.Compare cmp) || !cmp.op().equals("=")) {
                    throw DynamoDbException.validation("Query key condition not supported");
                }
                hash = literal(cmp.right(), keys.hashType());
            } else if (attr.equals(keys.rangeName())) {
                if (rangeCond != null) {
                    throw DynamoDbException.validation(
                            "KeyConditionExpressions must only contain one condition per key");
                }
                rangeCond = c;
            } else {
                throw DynamoDbException.validation("Query condition missed key schema element: "
                        + (hash == null ? keys.hashName() : attr));
            }
        }
        if (hash == null) {
            throw DynamoDbException.validation("Query condition missed key schema element: " + keys.hashName());
        }
        RowKey lo = new RowKey(hash, null, null, -1);
        RowKey hi = new RowKey(hash, null, null, 1);
        Predicate<Item> keyTest = item -> true;
        if (rangeCond instanceof Cond.Compare cmp) {
            Av v = literal(cmp.right(), keys.rangeType());
            switch (cmp.op()) {
                case "=" -> {
                    lo = new RowKey(hash, v, null, -1);
                    hi = new RowKey(hash, v, null, 1);
                }
                case "<" -> hi = new RowKey(hash, v, null, -1);
                case "<=" -> hi = new RowKey(hash, v, null, 1);
                case ">" -> lo = new RowKey(hash, v, null, 1);
                case ">=" -> lo = new RowKey(hash, v, null, -1);
                default -> throw DynamoDbException.validation("Query key condition not supported");
            }
        } else if (rangeCond instanceof Cond.Between b) {
            Av from = literal(b.low(), keys.rangeType());
            Av to = literal(b.high(), keys.rangeType());
            if (from.compareTo(to) > 0) {
                throw DynamoDbException.validation("Invalid KeyConditionExpression: The BETWEEN operator requires "
                        + "upper bound to be greater than or equal to lower bound; lower bound operand: "
                        + "AttributeValue: {" + from.type() + ":" + AvJson.write(from).elements().next().asText()
                        + "}, upper bound operand: AttributeValue: {" + to.type() + ":"
                        + AvJson.write(to).elements().next().asText() + "}");
            }
            lo = new RowKey(hash, from, null, -1);
            hi = new RowKey(hash, to, null, 1);
        } else if (rangeCond instanceof Cond.FunctionCall f && f.name().equals("begins_with")) {
            Av prefix = literal(f.args().get(1), keys.rangeType());
            if (prefix.type() == Av.Type.N) {
                throw DynamoDbException.validation("Invalid KeyConditionExpression: Incorrect operand type for "
                        + "operator or function; operator or function: begins_with, operand type: N");
            }
            lo = new RowKey(hash, prefix, null, -1);
            keyTest = item -> f.test(item::get);
        } else if (rangeCond != null) {
            throw DynamoDbException.validation("Query key condition not supported");
        }
        boolean forward = req.path("ScanIndexForward").asBoolean(true);
        boolean loInclusive = true;
        boolean hiInclusive = true;
        RowKey start = plan.startRowKey();
        if (start != null && forward && start.compareTo(lo) > 0) {
            lo = start;
            loInclusive = false;
        } else if (start != null && !forward && start.compareTo(hi) < 0) {
            hi = start;
            hiInclusive = false;
        }
        NavigableMap<RowKey, Item> range = lo.compareTo(hi) >= 0 ? Collections.emptyNavigableMap()
                : plan.map().subMap(lo, loInclusive, hi, hiInclusive);
        if (!forward) {
            range = range.descendingMap();
        }
        // ascending, the first sort key without the prefix ends the range; descending, keys past it are skipped
        ObjectNode out = forward && rangeCond instanceof Cond.FunctionCall
                ? plan.page(range.entrySet().iterator(), keyTest, item -> true)
                : plan.page(range.entrySet().iterator(), item -> true, keyTest);
        Capacity.putRead(req, out, plan.table, plan.index, plan.bytesRead);
        return out;
    }

    private static void checkFilterAvoidsKeys(Cond filter, KeySchema keys) {
        // AWS rejects primary key attributes in a Query's FilterExpression
        List<Cond> parts = new ArrayList<>();
        flatten(filter, parts);
        for (Cond c : parts) {
            if (c instanceof Cond.Compare cmp && cmp.left() instanceof Operand.PathRef p && p.path().isTopLevel()
                    && keys.isKey(p.path().top())) {
                throw DynamoDbException.validation("Filter Expression can only contain non-primary key attributes: "
                        + "Primary key attribute: " + p.path().top());
            }
        }
    }

    private static void flatten(Cond c, List<Cond> out) {
        if (c instanceof Cond.And and) {
            flatten(and.left(), out);
            flatten(and.right(), out);
        } else {
            out.add(c);
        }
    }

    private static String attribute(Cond c) {
        Operand left = null;
        if (c instanceof Cond.Compare cmp) {
            left = cmp.left();
        } else if (c instanceof Cond.Between b) {
            left = b.value();
        } else if (c instanceof Cond.FunctionCall f && f.name().equals("begins_with")) {
            left = f.args().get(0);
        }
        if (c instanceof Cond.Or || c instanceof Cond.Not || c instanceof Cond.In) {
            throw DynamoDbException.validation("Invalid operator used in KeyConditionExpression: "
                    + (c instanceof Cond.Or ? "OR" : c instanceof Cond.Not ? "NOT" : "IN"));
        }
        if (!(left instanceof Operand.PathRef p) || !p.path().isTopLevel()) {
            throw DynamoDbException.validation("Query key condition not supported");
        }
        return p.path().top();
    }

    private static Av literal(Operand o, Av.Type type) {
        if (!(o instanceof Operand.Value v)) {
            throw DynamoDbException.validation("Query key condition not supported");
        }
        if (v.value().type() != type) {
            throw DynamoDbException.validation(
                    "One or more parameter values were invalid: Condition parameter type does not match schema type");
        }
        return v.value();
    }
}
