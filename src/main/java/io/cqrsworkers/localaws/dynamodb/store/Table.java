package io.cqrsworkers.localaws.dynamodb.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.dynamodb.model.Item;
import io.cqrsworkers.localaws.dynamodb.streams.Stream;
import io.cqrsworkers.localaws.dynamodb.streams.StreamRecord;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A table: items in a sorted concurrent map (reads take no lock), one map per secondary index, and the table's
 * stream. Writers hold {@link #lock()} from reading the old item to committing the new one, which makes writes on
 * the table linearisable and keeps stream records in commit order.
 */
public final class Table {

    private final Database db;
    private final String name;
    private final String arn;
    private final String id;
    private final long createdMillis;
    private final KeySchema keys;
    private volatile JsonNode attributeDefinitions;
    private volatile ObjectNode settings;
    private final List<IndexDef> indexes = new CopyOnWriteArrayList<>();
    private final ConcurrentSkipListMap<RowKey, Item> items = new ConcurrentSkipListMap<>();
    private final Map<String, ConcurrentSkipListMap<RowKey, Item>> indexItems = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    /** CREATING or UPDATING until {@link #transitionEndsMillis}, then ACTIVE; DELETING until then, then gone. */
    private volatile String transition;
    private volatile long transitionEndsMillis;
    /** The index the current UPDATING phase creates: CREATING while the table is UPDATING, then ACTIVE. */
    private volatile String creatingIndex;
    private final AtomicLong itemCount = new AtomicLong();
    private final AtomicLong sizeBytes = new AtomicLong();
    private volatile Stream stream;
    private volatile String ttlAttribute;

    Table(Database db, String name, String id, long createdMillis, KeySchema keys, JsonNode attributeDefinitions,
          ObjectNode settings) {
        this.db = db;
        this.name = name;
        this.id = id;
        this.createdMillis = createdMillis;
        this.keys = keys;
        this.attributeDefinitions = attributeDefinitions;
        this.settings = settings;
        this.arn = "arn:aws:dynamodb:" + db.region() + ":" + db.accountId() + ":table/" + name;
    }

    public String name() {
        return name;
    }

    public String arn() {
        return arn;
    }

    public String id() {
        return id;
    }

    public long createdMillis() {
        return createdMillis;
    }

    public KeySchema keys() {
        return keys;
    }

    public JsonNode attributeDefinitions() {
        return attributeDefinitions;
    }

    public void attributeDefinitions(JsonNode defs) {
        this.attributeDefinitions = defs;
    }

    /** Billing mode, throughput, deletion protection, tags and the like: what has no behaviour locally. */
    public ObjectNode settings() {
        return settings;
    }

    public void settings(ObjectNode settings) {
        this.settings = settings;
    }

    /** Starts a CREATING, UPDATING or DELETING phase of the database's status delay (none when the delay is 0). */
    public void beginTransition(String status) {
        beginTransition(status, null);
    }

    /**
     * Starts a phase of the status delay in which {@code newIndex} (the global secondary index an UpdateTable adds, or
     * null) is CREATING: AWS keeps the table UPDATING while it allocates the new index's resources.
     */
    public void beginTransition(String status, String newIndex) {
        long delay = db.statusDelayMillis();
        if (delay > 0) {
            transitionEndsMillis = db.clock().millis() + delay;
            creatingIndex = newIndex;
            transition = status;
        }
    }

    /** ACTIVE, or CREATING / UPDATING while the status delay runs; DELETING stays until the table is gone. */
    public String status() {
        String t = transition;
        if (t == null) {
            return "ACTIVE";
        }
        if (!DELETING.equals(t) && db.clock().millis() >= transitionEndsMillis) {
            transition = null;
            return "ACTIVE";
        }
        return t;
    }

    static final String DELETING = "DELETING";

    /** True once a DELETING phase has run its course: the table is to be forgotten. */
    boolean deletionDone() {
        return DELETING.equals(transition) && db.clock().millis() >= transitionEndsMillis;
    }

    /** CREATING for the index an UpdateTable added while the table is still UPDATING, else ACTIVE. */
    public String indexStatus(String indexName) {
        String creating = creatingIndex;
        return creating != null && creating.equals(indexName) && "UPDATING".equals(status()) ? "CREATING" : "ACTIVE";
    }

    public List<IndexDef> indexes() {
        return indexes;
    }

    public IndexDef index(String indexName) {
        return indexes.stream().filter(i -> i.name().equals(indexName)).findFirst().orElse(null);
    }

    public ConcurrentSkipListMap<RowKey, Item> items() {
        return items;
    }

    public ConcurrentSkipListMap<RowKey, Item> indexItems(String indexName) {
        return indexItems.get(indexName);
    }

    public long itemCount() {
        return itemCount.get();
    }

    public long sizeBytes() {
        return sizeBytes.get();
    }

    public Stream stream() {
        return stream;
    }

    public String ttlAttribute() {
        return ttlAttribute;
    }

    public void ttlAttribute(String attribute) {
        this.ttlAttribute = attribute;
    }

    public ReentrantLock lock() {
        return lock;
    }

    /** Adds an index and fills it from the current items (AWS backfills a new GSI). */
    public void addIndex(IndexDef index) {
        lock.lock();
        try {
            ConcurrentSkipListMap<RowKey, Item> map = new ConcurrentSkipListMap<>();
            items.forEach((k, item) -> {
                RowKey ek = index.entryKey(item, k);
                if (ek != null) {
                    map.put(ek, item);
                }
            });
            indexItems.put(index.name(), map);
            indexes.add(index);
        } finally {
            lock.unlock();
        }
    }

    public void removeIndex(String indexName) {
        lock.lock();
        try {
            indexes.removeIf(i -> i.name().equals(indexName));
            indexItems.remove(indexName);
        } finally {
            lock.unlock();
        }
    }

    /** Sets a new stream (enabling) or null (disabling, which closes the current one). */
    public void stream(Stream s) {
        Stream old = this.stream;
        if (old != null && s == null) {
            old.disable();
        }
        this.stream = s;
    }

    /**
     * Commits a change of one item; the caller holds the lock and read {@code old} under it. Writes that change
     * nothing leave no stream record, as in AWS. Returns the stream record or null.
     */
    public StreamRecord commit(RowKey key, Item old, Item updated, boolean byTtl) {
        if (!lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("commit without the table lock");
        }
        if (Objects.equals(old, updated)) {
            return null;
        }
        applyToMaps(key, old, updated);
        Item keyItem = Item.of(keys.keyAttributes(updated != null ? updated : old));
        StreamRecord record = null;
        Stream s = stream;
        if (s != null && s.isEnabled()) {
            String event = old == null ? "INSERT" : updated == null ? "REMOVE" : "MODIFY";
            record = s.append(event, keyItem, old, updated, byTtl, db.clock().millis());
        }
        db.changeLog().itemChanged(this, keyItem, updated, record);
        return record;
    }

    private void applyToMaps(RowKey key, Item old, Item updated) {
        if (updated == null) {
            items.remove(key);
            itemCount.decrementAndGet();
        } else {
            items.put(key, updated);
            if (old == null) {
                itemCount.incrementAndGet();
            }
        }
        sizeBytes.addAndGet((updated == null ? 0 : updated.size()) - (old == null ? 0 : old.size()));
        for (IndexDef index : indexes) {
            ConcurrentSkipListMap<RowKey, Item> map = indexItems.get(index.name());
            RowKey before = old == null ? null : index.entryKey(old, key);
            RowKey after = updated == null ? null : index.entryKey(updated, key);
            if (before != null && !before.equals(after)) {
                map.remove(before);
            }
            if (after != null) {
                map.put(after, updated);
            }
        }
    }

    /** Restores an item from a snapshot or the journal, without stream record or log entry. */
    public void restore(RowKey key, Item updated) {
        lock.lock();
        try {
            Item old = items.get(key);
            if (!Objects.equals(old, updated)) {
                applyToMaps(key, old, updated);
            }
        } finally {
            lock.unlock();
        }
    }

    public ObjectNode describe(String status) {
        return describe(status, null);
    }

    /**
     * The table's description with this TableStatus; {@code newIndex} is shown CREATING whatever the status delay
     * (UpdateTable's answer), the other global secondary indexes as {@link #indexStatus} says.
     */
    public ObjectNode describe(String status, String newIndex) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode d = f.objectNode();
        d.set("AttributeDefinitions", attributeDefinitions.deepCopy());
        d.put("TableName", name);
        d.set("KeySchema", keys.toJson());
        d.put("TableStatus", status);
        d.put("CreationDateTime", createdMillis / 1000.0);
        String billing = settings.path("BillingMode").asText("PROVISIONED");
        ObjectNode pt = d.putObject("ProvisionedThroughput");
        pt.put("NumberOfDecreasesToday", 0);
        pt.put("ReadCapacityUnits", settings.path("ProvisionedThroughput").path("ReadCapacityUnits").asLong(0));
        pt.put("WriteCapacityUnits", settings.path("ProvisionedThroughput").path("WriteCapacityUnits").asLong(0));
        d.put("TableSizeBytes", sizeBytes.get());
        d.put("ItemCount", itemCount.get());
        d.put("TableArn", arn);
        d.put("TableId", id);
        if (billing.equals("PAY_PER_REQUEST")) {
            d.putObject("BillingModeSummary").put("BillingMode", billing)
                    .put("LastUpdateToPayPerRequestDateTime", createdMillis / 1000.0);
        }
        ArrayNode lsis = f.arrayNode();
        ArrayNode gsis = f.arrayNode();
        for (IndexDef index : indexes) {
            ObjectNode i = f.objectNode();
            i.put("IndexName", index.name());
            i.set("KeySchema", index.keys().toJson());
            i.set("Projection", index.spec().path("Projection").deepCopy());
            ConcurrentSkipListMap<RowKey, Item> map = indexItems.get(index.name());
            i.put("IndexSizeBytes", 0);
            i.put("ItemCount", map == null ? 0 : map.size());
            i.put("IndexArn", arn + "/index/" + index.name());
            if (index.global()) {
                String indexStatus = index.name().equals(newIndex) ? "CREATING" : indexStatus(index.name());
                i.put("IndexStatus", indexStatus);
                if ("CREATING".equals(indexStatus)) {
                    // [api] GlobalSecondaryIndexDescription: Backfilling appears for an index UpdateTable adds; false
                    // while DynamoDB allocates its resources (the table UPDATING), which is all this emulator shows
                    i.put("Backfilling", false);
                }
                ObjectNode ipt = i.putObject("ProvisionedThroughput");
                ipt.put("NumberOfDecreasesToday", 0);
                ipt.put("ReadCapacityUnits", index.spec().path("ProvisionedThroughput").path("ReadCapacityUnits").asLong(0));
                ipt.put("WriteCapacityUnits", index.spec().path("ProvisionedThroughput").path("WriteCapacityUnits").asLong(0));
                gsis.add(i);
            } else {
                lsis.add(i);
            }
        }
        if (!lsis.isEmpty()) {
            d.set("LocalSecondaryIndexes", lsis);
        }
        if (!gsis.isEmpty()) {
            d.set("GlobalSecondaryIndexes", gsis);
        }
        Stream s = stream;
        if (s != null && s.isEnabled()) {
            d.putObject("StreamSpecification").put("StreamEnabled", true).put("StreamViewType", s.viewType());
            d.put("LatestStreamLabel", s.label());
            d.put("LatestStreamArn", s.arn());
        }
        d.put("DeletionProtectionEnabled", settings.path("DeletionProtectionEnabled").asBoolean(false));
        if (settings.has("TableClass")) {
            d.putObject("TableClassSummary").put("TableClass", settings.get("TableClass").asText());
        }
        return d;
    }
}
