package io.cqrsworkers.stream;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * Micrometer meters of one consumer, tagged with table and application. Lag is the age of the newest record
 * processed (like Lambda's IteratorAge); {@code ddbstream.record.age} is the same age sampled at each delivery.
 */
final class StreamMetrics {

    private final MeterRegistry registry;
    private final Tags tags;
    final Counter read;
    final Counter delivered;
    final Counter filtered;
    final Counter retries;
    final Counter deadLetters;
    final Counter skipped;
    final Counter checkpoints;
    private final Timer recordAge;
    private final AtomicLong newestProcessedMillis = new AtomicLong();
    private final Meter lag;
    private final Meter leases;

    StreamMetrics(MeterRegistry registry, String table, String application, IntSupplier leasesHeld) {
        this.registry = registry;
        this.tags = Tags.of("table", table, "application", application);
        read = counter("ddbstream.records.read", "records received from the stream");
        delivered = counter("ddbstream.records.delivered", "records whose exchange completed");
        filtered = counter("ddbstream.records.filtered", "records skipped by the eventNames filter");
        retries = counter("ddbstream.retries", "redeliveries after a failed exchange");
        deadLetters = counter("ddbstream.dead.letters", "records sent to the dead-letter queue");
        skipped = counter("ddbstream.records.skipped", "records given up without a dead-letter queue (logged)");
        checkpoints = counter("ddbstream.checkpoints", "checkpoints written to the lease table");
        recordAge = Timer.builder("ddbstream.record.age").description("stream write to delivery").tags(tags)
                .publishPercentiles(0.5, 0.99).register(registry);
        lag = Gauge.builder("ddbstream.lag.ms", this, StreamMetrics::lagMillis)
                .description("age of the newest record processed").tags(tags).strongReference(true).register(registry);
        leases = Gauge.builder("ddbstream.leases.held", leasesHeld, s -> s.getAsInt())
                .description("shard leases held by this replica").tags(tags).strongReference(true).register(registry);
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }

    void processed(Instant createdAt) {
        if (createdAt != null) {
            newestProcessedMillis.accumulateAndGet(createdAt.toEpochMilli(), Math::max);
            recordAge.record(Duration.between(createdAt, Instant.now()));
        }
    }

    double lagMillis() {
        long newest = newestProcessedMillis.get();
        return newest == 0 ? 0 : Math.max(0, System.currentTimeMillis() - newest);
    }

    void close() {
        for (Meter m : new Meter[] {read, delivered, filtered, retries, deadLetters, skipped, checkpoints, recordAge, lag, leases}) {
            registry.remove(m);
        }
    }
}
