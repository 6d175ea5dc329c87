package io.cqrsworkers.stream;

import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import software.amazon.kinesis.coordinator.WorkerStateChangeListener.WorkerState;

/**
 * Readiness of one consumer: UP once its KCL scheduler has initialised and holds a lease, or has waited
 * {@code leaseWaitMillis} for one (a replica among others may rightly hold none); DOWN while it starts, after a failed
 * start, and from the start of shut-down. Without the wait a first start would report ready a few seconds before the
 * leader hands out the leases, and what arrives meanwhile would wait.
 */
final class StreamReadinessCheck extends AbstractHealthCheck {

    private final Supplier<WorkerState> state;
    private final IntSupplier leasesHeld;
    private final LongSupplier startedMillis;
    private final LongSupplier clock;
    private final long leaseWaitMillis;

    /**
     * @param startedMillis when the worker last reached STARTED, by {@code clock}
     */
    StreamReadinessCheck(String id, Supplier<WorkerState> state, IntSupplier leasesHeld, LongSupplier startedMillis,
                         LongSupplier clock, long leaseWaitMillis) {
        super("ddb-stream", id);
        this.state = state;
        this.leasesHeld = leasesHeld;
        this.startedMillis = startedMillis;
        this.clock = clock;
        this.leaseWaitMillis = leaseWaitMillis;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        WorkerState current = state.get();
        int leases = leasesHeld.getAsInt();
        builder.detail("workerState", String.valueOf(current));
        builder.detail("leasesHeld", leases);
        if (current != WorkerState.STARTED) {
            builder.message("KCL scheduler is " + current).down();
            return;
        }
        long waited = clock.getAsLong() - startedMillis.getAsLong();
        if (leases > 0 || waited >= leaseWaitMillis) {
            builder.up();
        } else {
            builder.message("KCL worker started " + waited + " ms ago and holds no lease yet (waits up to "
                    + leaseWaitMillis + " ms)").down();
        }
    }
}
