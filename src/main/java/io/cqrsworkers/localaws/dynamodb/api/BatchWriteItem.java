package io.cqrsworkers.localaws.dynamodb.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.dynamodb.model.DynamoDbException;
import io.cqrsworkers.localaws.dynamodb.model.Item;
import io.cqrsworkers.localaws.dynamodb.store.Database;
import io.cqrsworkers.localaws.dynamodb.store.RowKey;
import io.cqrsworkers.localaws.dynamodb.store.Table;
import io.cqrsworkers.localaws.http.AwsJsonServer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * BatchWriteItem: up to 25 puts and deletes, validated as a whole first, then applied one by one (each atomic, the
 * batch not, as in AWS). UnprocessedItems is always empty.
 */
final class BatchWriteItem implements AwsJsonServer.Operation {

    private final Database db;

    BatchWriteItem(Database db) {
        this.db = db;
    }

    private record Write(Table table, RowKey key, Item item) {
    }

    @Override
    public ObjectNode handle(JsonNode req) {
        List<Write> writes = new ArrayList<>();
        Set<Map.Entry<String, RowKey>> seen = new HashSet<>();
        for (Map.Entry<String, JsonNode> e : BatchGetItem.iterable(req.path("RequestItems"))) {
            for (JsonNode w : e.getValue()) {
                Write write;
                if (w.has("PutRequest")) {
                    ObjectNode put = Requests.object().put("TableName", e.getKey());
                    put.set("Item", w.get("PutRequest").get("Item"));
                    PutItem.Prepared p = PutItem.prepare(db, put);
                    write = new Write(p.table(), p.key(), p.item());
                } else if (w.has("DeleteRequest")) {
                    ObjectNode del = Requests.object().put("TableName", e.getKey());
                    del.set("Key", w.get("DeleteRequest").get("Key"));
                    DeleteItem.Prepared p = DeleteItem.prepare(db, del);
                    write = new Write(p.table(), p.key(), null);
                } else {
                    throw DynamoDbException.validation("Supplied AttributeValue has more than one datatypes set, "
                            + "must contain exactly one of the supported datatypes");
                }
                if (!seen.add(Map.entry(e.getKey(), write.key()))) {
                    throw DynamoDbException.validation("Provided list of item keys contains duplicates");
                }
                writes.add(write);
            }
        }
        if (writes.size() > 25) {
            throw DynamoDbException.validation("Too many items requested for the BatchWriteItem call");
        }
        if (writes.isEmpty()) {
            throw DynamoDbException.validation("1 validation error detected: Value null at 'requestItems' failed to "
                    + "satisfy constraint: Member must not be null");
        }
        String mode = Capacity.mode(req);
        Map<String, Capacity.Usage> usage = new java.util.LinkedHashMap<>();
        for (Write w : writes) {
            w.table().lock().lock();
            try {
                Item old = w.table().items().get(w.key());
                w.table().commit(w.key(), old, w.item(), false);
                if (mode != null) {
                    Capacity.write(usage.computeIfAbsent(w.table().name(), Capacity.Usage::new), w.table(), old,
                            w.item(), 1);
                }
            } finally {
                w.table().lock().unlock();
            }
        }
        ObjectNode out = Requests.object();
        out.putObject("UnprocessedItems");
        if (mode != null) {
            var list = out.putArray("ConsumedCapacity");
            usage.values().forEach(u -> list.add(u.render(mode)));
        }
        return out;
    }
}
