package io.cqrsworkers.localaws.dynamodb.streams;

import java.util.ArrayList;
import java.util.List;

/**
 * A shard of a stream: records in sequence order. The shard's own start number is reserved when it opens, so every
 * record's number is greater and an empty closed shard still has a valid range. Guarded by its stream's monitor.
 */
public final class Shard {

    private final String id;
    private final String parentId;
    private final long start;
    private final long openedMillis;
    private long end = -1;
    private final List<StreamRecord> records = new ArrayList<>();
    /** Number of records trimmed from the head of the list. */
    private int trimmed;
    private long trimmedThrough = -1;

    Shard(String id, String parentId, long start, long openedMillis) {
        this.id = id;
        this.parentId = parentId;
        this.start = start;
        this.openedMillis = openedMillis;
    }

    public String id() {
        return id;
    }

    public String parentId() {
        return parentId;
    }

    public long start() {
        return start;
    }

    /** Last sequence number of a closed shard, -1 while open. */
    public long end() {
        return end;
    }

    public boolean isOpen() {
        return end < 0;
    }

    public long openedMillis() {
        return openedMillis;
    }

    void add(StreamRecord r) {
        records.add(r);
    }

    void close() {
        end = records.isEmpty() ? start : records.get(records.size() - 1).sequence();
    }


    /** Drops records created before {@code cutoffMillis}; returns true when the shard is closed and now empty. */
    boolean trim(long cutoffMillis) {
        int drop = 0;
        while (drop < records.size() && records.get(drop).createdMillis() < cutoffMillis) {
            drop++;
        }
        if (drop > 0) {
            trimmedThrough = records.get(drop - 1).sequence();
            records.subList(0, drop).clear();
            trimmed += drop;
        }
        return !isOpen() && records.isEmpty() && (trimmed > 0 || openedMillis < cutoffMillis);
    }

    boolean isTrimmed(long position) {
        return position <= trimmedThrough;
    }

    /** First position a TRIM_HORIZON iterator reads from. */
    long horizon() {
        return records.isEmpty() ? (trimmedThrough >= 0 ? trimmedThrough + 1 : start) : records.get(0).sequence();
    }

    /** Records with sequence >= position, at most {@code limit} and {@code maxBytes} (at least one record). */
    List<StreamRecord> read(long position, int limit, int maxBytes) {
        int lo = 0;
        int hi = records.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (records.get(mid).sequence() < position) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        List<StreamRecord> out = new ArrayList<>();
        int bytes = 0;
        for (int i = lo; i < records.size() && out.size() < limit; i++) {
            StreamRecord r = records.get(i);
            if (!out.isEmpty() && bytes + r.sizeBytes() > maxBytes) {
                break;
            }
            bytes += r.sizeBytes();
            out.add(r);
        }
        return out;
    }

    List<StreamRecord> records() {
        return records;
    }
}
