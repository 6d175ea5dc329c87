package io.cqrsworkers.localaws.dynamodb.store;

import io.cqrsworkers.localaws.dynamodb.model.Av;

/**
 * Sort key of an item in a table or index map: a hash bucket of the partition key first (so that Scan order and
 * parallel-scan segments look like AWS's hash-partitioned order), then the partition key, the sort key, and for
 * index entries the table key of the item. A key with a non-zero {@code bound} and missing trailing parts sorts before
 * (-1) or after (+1) every key sharing its leading parts; Query uses such keys as range limits.
 */
public final class RowKey implements Comparable<RowKey> {

    final int bucket;
    final Av hash;
    final Av range;
    final RowKey base;
    final byte bound;

    public RowKey(Av hash, Av range, RowKey base, int bound) {
        this.bucket = bucketOf(hash);
        this.hash = hash;
        this.range = range;
        this.base = base;
        this.bound = (byte) bound;
    }

    public static RowKey of(Av hash, Av range) {
        return new RowKey(hash, range, null, 0);
    }

    /** A key before every key whose bucket is {@code bucket} or greater (unsigned), for parallel-scan segments. */
    public static RowKey bucketStart(long bucket) {
        return new RowKey((int) bucket);
    }

    private RowKey(int bucket) {
        this.bucket = bucket;
        this.hash = null;
        this.range = null;
        this.base = null;
        this.bound = -1;
    }

    static int bucketOf(Av hash) {
        int h = hash.hashCode() * 0x9E3779B9;
        return h ^ (h >>> 15) ^ (h << 7);
    }

    /** The first bucket of parallel-scan segment {@code segment} of {@code total}, as an unsigned int. */
    public static long segmentStart(int segment, int total) {
        return (segment * (1L << 32)) / total;
    }

    public Av hash() {
        return hash;
    }

    public Av range() {
        return range;
    }

    public RowKey base() {
        return base;
    }

    @Override
    public int compareTo(RowKey o) {
        int c = Integer.compareUnsigned(bucket, o.bucket);
        if (c != 0) {
            return c;
        }
        c = tail(hash, o.hash, o);
        if (c != 0) {
            return c;
        }
        c = tail(range, o.range, o);
        if (c != 0) {
            return c;
        }
        if (base != null && o.base != null) {
            c = base.compareTo(o.base);
            if (c != 0) {
                return c;
            }
        } else if (base != null || o.base != null) {
            return base == null ? (bound != 0 ? bound : -1) : (o.bound != 0 ? -o.bound : 1);
        }
        return Integer.compare(bound, o.bound);
    }

    private int tail(Av mine, Av theirs, RowKey o) {
        if (mine != null && theirs != null) {
            return mine.compareTo(theirs);
        }
        if (mine == null && theirs == null) {
            return 0;
        }
        return mine == null ? (bound != 0 ? bound : -1) : (o.bound != 0 ? -o.bound : 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RowKey k && compareTo(k) == 0;
    }

    @Override
    public int hashCode() {
        return bucket;
    }

    @Override
    public String toString() {
        return "RowKey[" + hash + ", " + range + (base != null ? ", " + base : "") + (bound != 0 ? ", bound " + bound : "") + "]";
    }
}
