package io.cqrsworkers.localaws.dynamodb.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.UnaryOperator;

/**
 * TransactWriteItems: all or nothing. The tables involved are locked in name order, every condition is checked and
 * every new item computed before anything is written; a failure cancels the whole transaction with one reason per
 * item. A ClientRequestToken makes a repeat within 10 minutes a no-op.
 */
final class TransactWriteItems implements AwsJsonServer.Operation {

    private static final long TOKEN_TTL_MILLIS = Duration.ofMinutes(10).toMillis();

    private final Database db;
    /** Tokens of the last 10 minutes with a digest of their request (the SDK sends a token with every call). */
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    /** The same tokens in the order they were used, so that expiring them does not scan the map. */
    private final Queue<Map.Entry<String, Token>> issued = new ConcurrentLinkedQueue<>();

    private record Token(String digest, long atMillis) {
    }

    /** One transaction item: check {@code condition}, then replace the item by {@code change} (null: check only). */
    private record Op(Table table, RowKey key, Cond condition, UnaryOperator<Item> change, JsonNode spec) {
    }

    TransactWriteItems(Database db) {
        this.db = db;
    }

    private static final long MAX_TRANSACTION_BYTES = 4L * 1024 * 1024;

    @Override
    public ObjectNode handle(JsonNode req) {
        JsonNode items = req.path("TransactItems");
        if (items.isEmpty() || items.size() > 100) {
            throw DynamoDbException.validation("1 validation error detected: Value at 'transactItems' failed to "
                    + "satisfy constraint: Member must have length less than or equal to 100, Member must have length "
                    + "greater than or equal to 1");
        }
        String token = Requests.text(req, "ClientRequestToken");
        long now = db.clock().millis();
        String digest = token == null ? null : digest(req);
        if (token != null) {
            expireTokens(now);
            Token previous = tokens.get(token);
            if (previous != null) {
                if (!previous.digest().equals(digest)) {
                    throw new DynamoDbException("IdempotentParameterMismatchException", "Request has the same client "
                            + "token as a previous request but is not the same request");
                }
                return Requests.object();
            }
        }
        List<Op> ops = new ArrayList<>();
        Set<Map.Entry<String, RowKey>> seen = new HashSet<>();
        for (JsonNode entry : items) {
            Op op = prepare(entry);
            if (!seen.add(Map.entry(op.table().name(), op.key()))) {
                throw DynamoDbException.validation(
                        "Transaction request cannot include multiple operations on one item");
            }
            ops.add(op);
        }
        long total = 0;
        for (JsonNode entry : items) {
            JsonNode put = entry.path("Put").path("Item");
            total += put.isMissingNode() ? 0 : Item.of(AvJson.parseMap(put)).size();
        }
        if (total > MAX_TRANSACTION_BYTES) {
            // the aggregate size of the items in a transaction cannot exceed 4 MB (API reference, TransactWriteItems)
            throw DynamoDbException.validation("Transaction request cannot be larger than 4 MB");
        }
        ObjectNode result = Requests.object();
        TreeMap<String, Table> tables = new TreeMap<>();
        ops.forEach(o -> tables.put(o.table().name(), o.table()));
        tables.values().forEach(t -> t.lock().lock());
        try {
            List<Item> olds = new ArrayList<>();
            List<Item> news = new ArrayList<>();
            ArrayNode reasons = Requests.array();
            boolean failed = false;
            for (Op op : ops) {
                Item old = op.table().items().get(op.key());
                olds.add(old);
                ObjectNode reason = reasons.addObject();
                if (op.condition() != null && !op.condition().test(Requests.view(old))) {
                    failed = true;
                    reason.put("Code", "ConditionalCheckFailed").put("Message", "The conditional request failed");
                    if (old != null && "ALL_OLD".equals(Requests.text(op.spec(), "ReturnValuesOnConditionCheckFailure"))) {
                        reason.set("Item", AvJson.writeItem(old));
                    }
                    news.add(null);
                    continue;
                }
                try {
                    news.add(op.change() == null ? old : op.change().apply(old));
                    reason.put("Code", "None");
                } catch (DynamoDbException e) {
                    failed = true;
                    reason.put("Code", "ValidationError").put("Message", e.getMessage());
                    news.add(null);
                }
            }
            if (failed) {
                List<String> codes = new ArrayList<>();
                reasons.forEach(r -> codes.add(r.path("Code").asText()));
                ObjectNode extra = Requests.object();
                extra.set("CancellationReasons", reasons);
                throw new DynamoDbException("TransactionCanceledException", "Transaction cancelled, please refer "
                        + "cancellation reasons for specific reasons " + codes, 400, extra);
            }
            // one journal line for the whole transaction: a kill -9 keeps all of it or none
            String mode = Capacity.mode(req);
            if (mode != null) {
                Map<String, Capacity.Usage> usage = new java.util.LinkedHashMap<>();
                for (int i = 0; i < ops.size(); i++) {
                    Op op = ops.get(i);
                    // a transactional write costs twice a standard one (Developer Guide)
                    Capacity.write(usage.computeIfAbsent(op.table().name(), Capacity.Usage::new), op.table(),
                            olds.get(i), op.change() == null ? null : news.get(i), 2);
                }
                ArrayNode list = result.putArray("ConsumedCapacity");
                usage.values().forEach(u -> list.add(u.render(mode)));
            }
            db.changeLog().atomically(() -> {
                for (int i = 0; i < ops.size(); i++) {
                    Op op = ops.get(i);
                    if (op.change() != null) {
                        op.table().commit(op.key(), olds.get(i), news.get(i), false);
                    }
                }
            });
        } finally {
            tables.descendingMap().values().forEach(t -> t.lock().unlock());
        }
        if (token != null) {
            Token used = new Token(digest, now);
            tokens.put(token, used);
            issued.add(Map.entry(token, used));
        }
        return result;
    }

    private void expireTokens(long now) {
        for (Map.Entry<String, Token> oldest = issued.peek();
             oldest != null && now - oldest.getValue().atMillis() > TOKEN_TTL_MILLIS; oldest = issued.peek()) {
            if (issued.remove(oldest)) {
                tokens.remove(oldest.getKey(), oldest.getValue());
            }
        }
    }

    /** A request's SHA-256: keeping the request itself held every transaction's items for 10 minutes. */
    private static String digest(JsonNode request) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(request.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Op prepare(JsonNode entry) {
        if (entry.has("Put")) {
            JsonNode spec = entry.get("Put");
            PutItem.Prepared p = PutItem.prepare(db, spec);
            return new Op(p.table(), p.key(), p.condition(), old -> p.item(), spec);
        }
        if (entry.has("Update")) {
            JsonNode spec = entry.get("Update");
            UpdateItem.Prepared p = UpdateItem.prepare(db, spec);
            return new Op(p.table(), p.key(), p.condition(), p::applyTo, spec);
        }
        if (entry.has("Delete")) {
            JsonNode spec = entry.get("Delete");
            DeleteItem.Prepared p = DeleteItem.prepare(db, spec);
            return new Op(p.table(), p.key(), p.condition(), old -> null, spec);
        }
        if (entry.has("ConditionCheck")) {
            JsonNode spec = entry.get("ConditionCheck");
            Table table = Requests.table(db, spec);
            RowKey key = table.keys().keyOfKeyParam(Requests.map(spec, "Key"));
            ExprContext ctx = ExprContext.of(spec);
            Cond cond = Requests.condition(spec, ctx);
            if (cond == null) {
                throw DynamoDbException.validation("The ConditionExpression must be specified for ConditionCheck");
            }
            ctx.checkAllUsed(true);
            return new Op(table, key, cond, null, spec);
        }
        throw DynamoDbException.validation("TransactItems can only contain one of Check, Put, Update or Delete");
    }
}
