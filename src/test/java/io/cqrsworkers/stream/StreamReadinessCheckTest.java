package io.cqrsworkers.stream;

import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import software.amazon.kinesis.coordinator.WorkerStateChangeListener.WorkerState;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** A consumer is ready once its worker runs and holds a lease, or has waited long enough for one. */
class StreamReadinessCheckTest {

    private final AtomicReference<WorkerState> state = new AtomicReference<>(WorkerState.INITIALIZING);
    private final AtomicInteger leases = new AtomicInteger();
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final StreamReadinessCheck check = check();

    private StreamReadinessCheck check() {
        StreamReadinessCheck c = new StreamReadinessCheck("ddb-stream-test", state::get, leases::get,
                () -> 1_000_000, now::get, 10_000);
        c.setCamelContext(new DefaultCamelContext());
        return c;
    }

    @Test
    void aStartedWorkerWithoutALeaseWaitsForOneUpToTheCap() {
        assertThat(check.call().getState()).isEqualTo(HealthCheck.State.DOWN);
        state.set(WorkerState.STARTED);
        now.addAndGet(4_000);
        HealthCheck.Result waiting = check.call();
        assertThat(waiting.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(waiting.getMessage()).hasValue("KCL worker started 4000 ms ago and holds no lease yet (waits up to 10000 ms)");
        leases.set(1);
        assertThat(check.call().getState()).isEqualTo(HealthCheck.State.UP);
    }

    @Test
    void aReplicaThatGetsNoLeaseIsReadyWhenTheWaitEnds() {
        state.set(WorkerState.STARTED);
        now.addAndGet(9_999);
        assertThat(check.call().getState()).isEqualTo(HealthCheck.State.DOWN);
        now.addAndGet(1);
        assertThat(check.call().getState()).isEqualTo(HealthCheck.State.UP);
        state.set(WorkerState.SHUT_DOWN_STARTED);
        assertThat(check.call().getState()).isEqualTo(HealthCheck.State.DOWN);
    }
}
