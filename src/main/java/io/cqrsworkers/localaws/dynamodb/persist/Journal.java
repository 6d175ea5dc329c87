package io.cqrsworkers.localaws.dynamodb.persist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.dynamodb.api.TableSpecs;
import io.cqrsworkers.localaws.dynamodb.model.Av;
import io.cqrsworkers.localaws.dynamodb.model.AvJson;
import io.cqrsworkers.localaws.dynamodb.model.Item;
import io.cqrsworkers.localaws.dynamodb.store.ChangeLog;
import io.cqrsworkers.localaws.dynamodb.store.Database;
import io.cqrsworkers.localaws.dynamodb.store.IndexDef;
import io.cqrsworkers.localaws.dynamodb.store.KeySchema;
import io.cqrsworkers.localaws.dynamodb.store.RowKey;
import io.cqrsworkers.localaws.dynamodb.store.Table;
import io.cqrsworkers.localaws.dynamodb.streams.Shard;
import io.cqrsworkers.localaws.dynamodb.streams.Stream;
import io.cqrsworkers.localaws.dynamodb.streams.StreamRecord;
import io.cqrsworkers.localaws.persist.JsonLinesLog;
import io.cqrsworkers.localaws.persist.StateJournal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Durability for a data directory: every committed change becomes a line of the shared {@link JsonLinesLog}, queued
 * under the table's lock (so in commit order) and written, batched with other writers' lines, before the client is
 * answered ({@link #sync}). Every line carries a full item state and stream records are skipped when already present,
 * so replaying a journal over a snapshot that already holds some of its changes gives the same final state.
 */
public final class Journal extends StateJournal implements ChangeLog {

    private final Database db;

    private Journal(Database db) {
        this.db = db;
    }

    /** Restores the state saved in {@code dir} into {@code db} and starts journaling its changes there. */
    public static Journal open(Path dir, Database db) throws IOException {
        Journal j = new Journal(db);
        j.open(dir);
        db.changeLog(j);
        return j;
    }

    // ---- replay

    @Override
    protected String restored() {
        return db.tables().size() + " tables";
    }

    @Override
    protected void apply(JsonNode e) {
        switch (e.path("op").asText()) {
            case "table" -> applyTable(e);
            case "drop" -> {
                if (db.findTable(e.path("t").asText()) != null) {
                    db.deleteTable(e.path("t").asText());
                }
            }
            case "shard" -> {
                Stream s = streamOrNull(e.path("s").asText());
                if (s != null) {
                    s.restoreShard(e.path("id").asText(), e.hasNonNull("p") ? e.get("p").asText() : null,
                            e.path("start").asLong(), e.path("ts").asLong());
                }
            }
            case "item" -> applyItem(e);
            case "tx" -> e.path("items").forEach(this::applyItem);
            case "rec" -> {
                Stream s = streamOrNull(e.path("s").asText());
                if (s != null) {
                    s.restoreRecord(record(e.get("r"), Item.of(AvJson.parseMap(e.get("k"))),
                            e.has("o") ? Item.of(AvJson.parseMap(e.get("o"))) : null,
                            e.has("n") ? Item.of(AvJson.parseMap(e.get("n"))) : null));
                }
            }
            default -> skipUnknown(e.path("op").asText());
        }
    }

    private Stream streamOrNull(String arn) {
        return db.streams().stream().filter(s -> s.arn().equals(arn)).findFirst().orElse(null);
    }

    private void applyTable(JsonNode e) {
        String name = e.path("name").asText();
        Map<String, Av.Type> types = TableSpecs.attributeTypes(e.get("defs"));
        List<IndexDef> indexes = new ArrayList<>();
        for (JsonNode i : e.path("indexes")) {
            indexes.add(TableSpecs.index(i.get("spec"), i.path("global").asBoolean(), types, new HashSet<>()));
        }
        Table t = db.findTable(name);
        if (t == null) {
            KeySchema keys = TableSpecs.keySchema(e.get("keys"), types, new HashSet<>());
            t = db.createTable(name, e.path("id").asText(), e.path("created").asLong(), keys, e.get("defs"),
                    (ObjectNode) e.get("settings"), indexes);
        } else {
            t.attributeDefinitions(e.get("defs"));
            t.settings((ObjectNode) e.get("settings"));
            Set<String> wanted = new HashSet<>();
            for (IndexDef i : indexes) {
                wanted.add(i.name());
                if (t.index(i.name()) == null) {
                    t.addIndex(i);
                }
            }
            for (IndexDef existing : List.copyOf(t.indexes())) {
                if (!wanted.contains(existing.name())) {
                    t.removeIndex(existing.name());
                }
            }
        }
        t.ttlAttribute(e.hasNonNull("ttl") ? e.get("ttl").asText() : null);
        JsonNode stream = e.get("stream");
        Stream current = t.stream();
        if (stream == null || stream.isNull()) {
            if (current != null) {
                t.stream(null);
            }
        } else if (current == null || !current.arn().equals(stream.path("arn").asText())) {
            db.enableStream(t, stream.path("view").asText(), stream.path("created").asLong());
        }
    }

    private void applyItem(JsonNode e) {
        Table t = db.findTable(e.path("t").asText());
        if (t == null) {
            return;
        }
        Map<String, Av> keyMap = AvJson.parseMap(e.get("k"));
        RowKey key = t.keys().keyOfKeyParam(keyMap);
        Item old = t.items().get(key);
        Item updated = e.has("i") ? Item.of(AvJson.parseMap(e.get("i"))) : null;
        t.restore(key, updated);
        Stream s = t.stream();
        if (e.has("r") && s != null) {
            s.restoreRecord(record(e.get("r"), Item.of(keyMap), s.includesOld() ? old : null,
                    s.includesNew() ? updated : null));
        }
    }

    private static StreamRecord record(JsonNode r, Item keys, Item old, Item updated) {
        return new StreamRecord(r.path("seq").asLong(), r.path("ts").asLong(), r.path("id").asText(),
                r.path("ev").asText(), keys, old, updated, r.path("ttl").asBoolean(), r.path("size").asInt());
    }

    // ---- writing

    private ObjectNode recordMeta(StreamRecord r) {
        ObjectNode o = mapper.createObjectNode();
        o.put("seq", r.sequence()).put("ts", r.createdMillis()).put("id", r.eventId()).put("ev", r.eventName())
                .put("ttl", r.byTtl()).put("size", r.sizeBytes());
        return o;
    }

    private ObjectNode tableEntry(Table t) {
        ObjectNode e = mapper.createObjectNode();
        e.put("op", "table").put("name", t.name()).put("id", t.id()).put("created", t.createdMillis());
        e.set("keys", t.keys().toJson());
        e.set("defs", t.attributeDefinitions());
        e.set("settings", t.settings());
        ArrayNode idx = e.putArray("indexes");
        t.indexes().forEach(i -> idx.addObject().put("global", i.global()).set("spec", i.spec()));
        e.put("ttl", t.ttlAttribute());
        Stream s = t.stream();
        if (s != null && s.isEnabled()) {
            e.putObject("stream").put("arn", s.arn()).put("view", s.viewType()).put("created", s.createdMillis());
        }
        return e;
    }

    private ObjectNode shardEntry(Stream stream, Shard shard) {
        ObjectNode e = mapper.createObjectNode();
        e.put("op", "shard").put("s", stream.arn()).put("id", shard.id()).put("p", shard.parentId())
                .put("start", shard.start()).put("ts", shard.openedMillis());
        return e;
    }

    /** The item lines of the transaction this thread is committing, or null outside one. */
    private final ThreadLocal<ArrayNode> transaction = new ThreadLocal<>();
    /** The ticket of the last line this thread queued (see {@link #sync}). */
    private final ThreadLocal<long[]> lastTicket = ThreadLocal.withInitial(() -> new long[1]);

    /**
     * Queues a line; it is written by the next {@link #sync} of any thread (group commit: the lines of concurrent
     * writers leave in one write call), and at the latest by this thread's own before its client is answered.
     */
    private void write(ObjectNode entry) {
        ArrayNode tx = transaction.get();
        if (tx != null && "item".equals(entry.path("op").asText())) {
            tx.add(entry);
        } else {
            lastTicket.get()[0] = enqueue(entry);
        }
    }

    @Override
    public void sync() {
        long ticket = lastTicket.get()[0];
        if (ticket > 0) {
            flush(ticket);
        }
    }

    @Override
    public void atomically(Runnable changes) {
        ArrayNode items = mapper.createArrayNode();
        transaction.set(items);
        try {
            changes.run();
        } finally {
            transaction.remove();
        }
        if (!items.isEmpty()) {
            ObjectNode e = mapper.createObjectNode().put("op", "tx");
            e.set("items", items);
            lastTicket.get()[0] = enqueue(e);
        }
    }

    @Override
    public void itemChanged(Table table, Item keys, Item newItem, StreamRecord record) {
        ObjectNode e = mapper.createObjectNode();
        e.put("op", "item").put("t", table.name());
        e.set("k", AvJson.writeItem(keys));
        if (newItem != null) {
            e.set("i", AvJson.writeItem(newItem));
        }
        if (record != null) {
            e.set("r", recordMeta(record));
        }
        write(e);
    }

    @Override
    public void tableChanged(Table table) {
        write(tableEntry(table));
    }

    @Override
    public void tableDeleted(String tableName) {
        ObjectNode e = mapper.createObjectNode();
        e.put("op", "drop").put("t", tableName);
        write(e);
    }

    @Override
    public void shardOpened(Stream stream, Shard shard) {
        write(shardEntry(stream, shard));
    }

    @Override
    protected void writeState(Consumer<ObjectNode> line) {
        for (Table t : db.tables()) {
            line.accept(tableEntry(t));
            Stream s = t.stream();
            if (s != null) {
                s.forEachShard((shard, records) -> {
                    line.accept(shardEntry(s, shard));
                    for (StreamRecord r : records) {
                        ObjectNode e = mapper.createObjectNode();
                        e.put("op", "rec").put("s", s.arn());
                        e.set("r", recordMeta(r));
                        e.set("k", AvJson.writeItem(r.keys()));
                        if (r.oldImage() != null) {
                            e.set("o", AvJson.writeItem(r.oldImage()));
                        }
                        if (r.newImage() != null) {
                            e.set("n", AvJson.writeItem(r.newImage()));
                        }
                        line.accept(e);
                    }
                });
            }
            for (Item item : t.items().values()) {
                ObjectNode e = mapper.createObjectNode();
                e.put("op", "item").put("t", t.name());
                e.set("k", AvJson.writeMap(t.keys().keyAttributes(item)));
                e.set("i", AvJson.writeItem(item));
                line.accept(e);
            }
        }
    }

}
