package io.cqrsworkers.stream;

import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import software.amazon.kinesis.coordinator.WorkerStateChangeListener.WorkerState;

/**
 * Readiness of one consumer: UP once its KCL scheduler has initialised and takes part in lease balancing
 * (holding leases or ready to), DOWN while it starts, after a failed start, and from the start of shut-down.
 */
final class StreamReadinessCheck extends AbstractHealthCheck {

    private final Supplier<WorkerState> state;
    private final IntSupplier leasesHeld;

    StreamReadinessCheck(String id, Supplier<WorkerState> state, IntSupplier leasesHeld) {
        super("ddb-stream", id);
        this.state = state;
        this.leasesHeld = leasesHeld;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        WorkerState current = state.get();
        builder.detail("workerState", String.valueOf(current));
        builder.detail("leasesHeld", leasesHeld.getAsInt());
        if (current == WorkerState.STARTED) {
            builder.up();
        } else {
            builder.message("KCL scheduler is " + current).down();
        }
    }
}
