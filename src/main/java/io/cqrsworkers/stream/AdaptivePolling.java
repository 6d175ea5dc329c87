package io.cqrsworkers.stream;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import software.amazon.kinesis.retrieval.polling.SleepTimeController;
import software.amazon.kinesis.retrieval.polling.SleepTimeControllerConfig;

/**
 * When a shard's next GetRecords call is due. KCL asks this on the shard's prefetch thread right before the call
 * and sleeps for the answer; this class does the sleeping itself, so that a write can cut it short.
 * <ul>
 * <li>After a call that brought records: the next one {@code idleTimeBetweenReadsMs} after it (a busy stream is read
 * as often as before).</li>
 * <li>After each empty call the pause doubles, up to {@code maxIdleTimeBetweenReadsMs}: an idle stream costs one
 * call per shard every few seconds instead of five a second.</li>
 * <li>A write to the table seen in this JVM ({@link #wrote}, from any SDK client's PutItem, UpdateItem, DeleteItem,
 * BatchWriteItem or TransactWriteItems: {@link TableWriteInterceptor}) ends the pause at once and resets it to the
 * short one, so a record written after a quiet spell is read within {@code idleTimeBetweenReadsMs}, not after the
 * long pause. Writes of other processes (another replica, an external client) are read after the long pause at
 * worst.</li>
 * </ul>
 * One controller serves every shard of one consumer; each prefetch thread keeps its own streak.
 */
final class AdaptivePolling implements SleepTimeController {

    /** The controllers of the running consumers by table name: whom a write wakes. */
    private static final Map<String, Set<AdaptivePolling>> BY_TABLE = new ConcurrentHashMap<>();

    private final String table;
    private final long minMillis;
    private final long maxMillis;
    private final ThreadLocal<Shard> shards = ThreadLocal.withInitial(Shard::new);
    /** Counts the writes to the table; a shard compares it with the value it last read. */
    private final java.util.concurrent.atomic.AtomicLong writeCount = new java.util.concurrent.atomic.AtomicLong();
    /** Shard threads in {@link #getSleepTimeMillis}'s wait. */
    private volatile int waiting;
    /** Set when the consumer stops: no long pauses that would hold up KCL's shutdown of a shard. */
    private volatile boolean stopped;

    private static final class Shard {
        int emptyCalls;
        long writesSeen = -1;
    }

    AdaptivePolling(String table, long minMillis, long maxMillis) {
        this.table = table;
        this.minMillis = Math.max(0, minMillis);
        this.maxMillis = Math.max(this.minMillis, maxMillis);
    }

    /** Starts waking on writes to the table. */
    AdaptivePolling register() {
        BY_TABLE.computeIfAbsent(table, t -> ConcurrentHashMap.newKeySet()).add(this);
        return this;
    }

    void unregister() {
        BY_TABLE.computeIfPresent(table, (t, set) -> {
            set.remove(this);
            return set.isEmpty() ? null : set;
        });
    }

    /** Something in this JVM wrote to {@code table}: its consumers read their shards now. Cheap when none runs. */
    static void wrote(String table) {
        Set<AdaptivePolling> controllers = BY_TABLE.get(table);
        if (controllers != null) {
            for (AdaptivePolling c : controllers) {
                c.wake();
            }
        }
    }

    /** The consumer stops: every waiting shard thread goes on at once, and none waits any more. */
    void stop() {
        stopped = true;
        unregister();
        synchronized (this) {
            notifyAll();
        }
    }

    static boolean anyRunning() {
        return !BY_TABLE.isEmpty();
    }

    private void wake() {
        // under load every write comes here: no lock unless a shard thread waits
        writeCount.incrementAndGet();
        if (waiting > 0) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    @Override
    public long getSleepTimeMillis(SleepTimeControllerConfig config) {
        Shard shard = shards.get();
        Instant last = config.lastSuccessfulCall();
        Integer records = config.lastRecordsCount();
        long pause;
        if (last == null || records == null) {
            // the first call, or the last one failed: KCL's own spacing
            pause = minMillis;
        } else if (records > 0) {
            shard.emptyCalls = 0;
            pause = minMillis;
        } else {
            shard.emptyCalls = Math.min(shard.emptyCalls + 1, 30);
            pause = Math.min(maxMillis, Math.max(1, minMillis) << Math.min(shard.emptyCalls, 20));
        }
        if (stopped) {
            return minMillis;
        }
        long since = last == null ? 0 : Math.max(0, Duration.between(last, Instant.now()).toMillis());
        try {
            synchronized (this) {
                if (shard.writesSeen < 0) {
                    shard.writesSeen = writeCount.get();
                }
                long deadline = System.nanoTime() + Math.max(0, pause - since) * 1_000_000;
                long left;
                while (writeCount.get() == shard.writesSeen && !stopped
                        && (left = (deadline - System.nanoTime()) / 1_000_000) > 0) {
                    waiting++;
                    try {
                        // a write after the check above notifies under this monitor, so it is not missed
                        if (writeCount.get() == shard.writesSeen && !stopped) {
                            wait(left);
                        }
                    } finally {
                        waiting--;
                    }
                }
                long seen = writeCount.get();
                boolean woken = seen != shard.writesSeen;
                shard.writesSeen = seen;
                if (!woken) {
                    return 0;
                }
                shard.emptyCalls = 0;
            }
            // a write since this shard's last call: read it after the short pause only
            return last == null ? 0 : Math.max(0, minMillis - Duration.between(last, Instant.now()).toMillis());
        } catch (InterruptedException e) {
            // KCL's shutdown: its own sleep of 1 ms sees the interrupt and ends the prefetch thread cleanly
            Thread.currentThread().interrupt();
            return 1;
        }
    }
}
