package io.cqrsworkers.localaws.dynamodb.streams;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.cqrsworkers.localaws.dynamodb.model.DynamoDbException;
import io.cqrsworkers.localaws.dynamodb.model.Item;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;

/**
 * The change stream of one table (one per enabling of StreamSpecification). Shards roll over on a period like
 * AWS's (about 4 hours there); records older than the retention are trimmed. All methods hold the stream's monitor.
 */
public final class Stream {

    private final String arn;
    private final String label;
    private final String tableName;
    private final String viewType;
    /** The table's key schema as DescribeStream shows it (a table's keys never change). */
    private final ArrayNode keySchema;
    private final long createdMillis;
    private final Duration rollover;
    private final Duration retention;
    private final List<Shard> shards = new ArrayList<>();
    private long counter;
    private boolean enabled = true;
    private final StreamListener listener;

    /** Told about shard openings, so a journal can restore shard lineage. */
    public interface StreamListener {
        void shardOpened(Stream stream, Shard shard);

        StreamListener NONE = (s, sh) -> { };
    }

    public Stream(String arn, String label, String tableName, String viewType, ArrayNode keySchema, long createdMillis,
                  Duration rollover, Duration retention, StreamListener listener) {
        this.arn = arn;
        this.label = label;
        this.tableName = tableName;
        this.viewType = viewType;
        this.keySchema = keySchema;
        this.createdMillis = createdMillis;
        this.rollover = rollover;
        this.retention = retention;
        this.listener = listener;
    }

    public String arn() {
        return arn;
    }

    public String label() {
        return label;
    }

    public String tableName() {
        return tableName;
    }

    public String viewType() {
        return viewType;
    }

    public ArrayNode keySchema() {
        return keySchema.deepCopy();
    }

    public long createdMillis() {
        return createdMillis;
    }

    public synchronized boolean isEnabled() {
        return enabled;
    }

    /** Closes the open shard; the stream stays readable until its records expire. */
    public synchronized void disable() {
        enabled = false;
        Shard open = openShard();
        if (open != null) {
            open.close();
        }
    }

    private Shard openShard() {
        if (shards.isEmpty()) {
            return null;
        }
        Shard last = shards.get(shards.size() - 1);
        return last.isOpen() ? last : null;
    }

    /** Rolls the open shard over when its period is up, trims expired records; call before any use. */
    private void maintain(long now) {
        if (enabled) {
            Shard open = openShard();
            if (open == null) {
                openShard(null, now);
            } else if (now - open.openedMillis() >= rollover.toMillis()) {
                open.close();
                openShard(open.id(), now);
            }
        }
        long cutoff = now - retention.toMillis();
        shards.removeIf(s -> s.trim(cutoff));
    }

    private void openShard(String parentId, long now) {
        String id = String.format("shardId-%013d-%08x", now, ThreadLocalRandom.current().nextInt());
        Shard s = new Shard(id, parentId, ++counter, now);
        shards.add(s);
        listener.shardOpened(this, s);
    }

    /** Restores a shard from the journal. */
    public synchronized void restoreShard(String id, String parentId, long start, long openedMillis) {
        if (shards.stream().anyMatch(s -> s.id().equals(id))) {
            return;
        }
        Shard open = openShard();
        if (open != null) {
            open.close();
        }
        shards.add(new Shard(id, parentId, start, openedMillis));
        counter = Math.max(counter, start);
    }

    /** Appends a change; images are filtered by the view type when read. */
    public synchronized StreamRecord append(String eventName, Item keys, Item oldImage, Item newImage, boolean byTtl,
                                            long now) {
        maintain(now);
        Shard open = openShard();
        int size = keys.size() + (includesOld() && oldImage != null ? oldImage.size() : 0)
                + (includesNew() && newImage != null ? newImage.size() : 0);
        StreamRecord r = new StreamRecord(++counter, now, eventId(), eventName,
                keys, includesOld() ? oldImage : null, includesNew() ? newImage : null, byTtl, size);
        open.add(r);
        return r;
    }

    /** Re-adds a journalled record with its original number and time. */
    public synchronized void restoreRecord(StreamRecord r) {
        if (r.sequence() <= counter) {
            return; // replayed twice (a snapshot overlaps the journal that follows it)
        }
        Shard open = openShard();
        if (open != null) {
            open.add(r);
            counter = r.sequence();
        }
    }

    /** 32 hex digits like AWS's event ids; ThreadLocalRandom because UUID.randomUUID contends on SecureRandom. */
    private static String eventId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return hex16(r.nextLong()) + hex16(r.nextLong());
    }

    /** 16 hex digits (String.format showed in profiles: a record is written for every change). */
    private static String hex16(long value) {
        String hex = Long.toHexString(value);
        return "0".repeat(16 - hex.length()) + hex;
    }

    public boolean includesOld() {
        return viewType.equals("OLD_IMAGE") || viewType.equals("NEW_AND_OLD_IMAGES");
    }

    public boolean includesNew() {
        return viewType.equals("NEW_IMAGE") || viewType.equals("NEW_AND_OLD_IMAGES");
    }

    /** A snapshot of the shards as DescribeStream shows them. */
    public synchronized List<ShardView> shards(long now) {
        maintain(now);
        List<ShardView> out = new ArrayList<>(shards.size());
        for (Shard s : shards) {
            out.add(new ShardView(s.id(), s.parentId(), s.start(), s.end()));
        }
        return out;
    }

    public record ShardView(String id, String parentId, long start, long end) {
    }

    /** Where a new iterator of the given type starts reading. */
    public synchronized long position(String shardId, String type, Long sequence, long now) {
        maintain(now);
        Shard s = shard(shardId);
        switch (type) {
            case "TRIM_HORIZON":
                return s.horizon();
            case "LATEST":
                return s.isOpen() ? counter + 1 : s.end() + 1;
            case "AT_SEQUENCE_NUMBER":
            case "AFTER_SEQUENCE_NUMBER":
                if (sequence == null) {
                    throw DynamoDbException.validation("SequenceNumber is required for ShardIteratorType " + type);
                }
                if (sequence < s.start() || !s.isOpen() && sequence > s.end() || s.isOpen() && sequence > counter) {
                    throw DynamoDbException.validation("Invalid SequenceNumber: " + SequenceNumbers.format(sequence)
                            + " for shard: " + shardId);
                }
                if (s.isTrimmed(sequence)) {
                    throw trimmed();
                }
                return type.equals("AT_SEQUENCE_NUMBER") ? sequence : sequence + 1;
            default:
                throw DynamoDbException.validation("1 validation error detected: Value '" + type
                        + "' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: "
                        + "[AFTER_SEQUENCE_NUMBER, LATEST, AT_SEQUENCE_NUMBER, TRIM_HORIZON]");
        }
    }

    private Shard shard(String shardId) {
        for (Shard s : shards) {
            if (s.id().equals(shardId)) {
                return s;
            }
        }
        throw DynamoDbException.notFound("Requested resource not found: Shard does not exist");
    }

    private static DynamoDbException trimmed() {
        return new DynamoDbException("TrimmedDataAccessException",
                "The operation attempted to read past the oldest stream record in a shard.");
    }

    /** The result of GetRecords: records and the next position, empty when a closed shard is drained. */
    public record Batch(List<StreamRecord> records, Optional<Long> next) {
    }

    public synchronized Batch read(String shardId, long position, int limit, int maxBytes, long now) {
        maintain(now);
        Shard s = shard(shardId);
        if (s.isTrimmed(position)) {
            throw trimmed();
        }
        List<StreamRecord> records = s.read(position, limit, maxBytes);
        long next = records.isEmpty() ? position : records.get(records.size() - 1).sequence() + 1;
        if (!s.isOpen() && (records.isEmpty() || next > s.end())) {
            return new Batch(records, Optional.empty());
        }
        return new Batch(records, Optional.of(next));
    }

    /** Every shard with a copy of its live records, oldest first, for snapshots. */
    public void forEachShard(BiConsumer<Shard, List<StreamRecord>> visitor) {
        // copied under the lock, visited after it: a snapshot writes hundreds of MB through the visitor, and every
        // write to the table appends here (it stalled the table's writers for seconds)
        List<Map.Entry<Shard, List<StreamRecord>>> copy;
        synchronized (this) {
            copy = shards.stream().map(s -> Map.entry(s, List.copyOf(s.records()))).toList();
        }
        copy.forEach(e -> visitor.accept(e.getKey(), e.getValue()));
    }
}
