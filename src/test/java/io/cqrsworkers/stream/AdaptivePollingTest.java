package io.cqrsworkers.stream;

import org.junit.jupiter.api.Test;
import software.amazon.kinesis.retrieval.polling.SleepTimeControllerConfig;

import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class AdaptivePollingTest {

    private static SleepTimeControllerConfig after(int records) {
        return SleepTimeControllerConfig.builder().lastSuccessfulCall(Instant.now()).idleMillisBetweenCalls(20)
                .lastRecordsCount(records).build();
    }

    /** Milliseconds until the next call: the controller's own wait plus what it tells KCL to sleep. */
    private static long pause(AdaptivePolling polling, SleepTimeControllerConfig config) {
        long t0 = System.nanoTime();
        long sleep = polling.getSleepTimeMillis(config);
        return (System.nanoTime() - t0) / 1_000_000 + sleep;
    }

    @Test
    void emptyReadsDoubleThePauseUpToTheMaximumAndRecordsResetIt() {
        AdaptivePolling polling = new AdaptivePolling("t-backoff", 20, 160);
        // lower bounds: the pause does grow; upper bounds loose, for a busy machine
        assertThat(pause(polling, after(0))).isBetween(35L, 2_000L);
        assertThat(pause(polling, after(0))).isBetween(75L, 2_000L);
        assertThat(pause(polling, after(0))).isBetween(155L, 2_000L);
        long capped = pause(polling, after(0));
        assertThat(capped).isBetween(155L, 2_000L);
        assertThat(pause(polling, after(3))).isBetween(15L, 2_000L).isLessThan(capped + 100);
    }

    @Test
    void aWriteToTheTableEndsALongPause() {
        // after an empty read the pause would be 2 s
        AdaptivePolling polling = new AdaptivePolling("t-wake", 1_000, 10_000).register();
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
        try {
            pause(polling, after(3));
            writer.schedule(() -> AdaptivePolling.wrote("t-other"), 50, TimeUnit.MILLISECONDS);
            writer.schedule(() -> AdaptivePolling.wrote("t-wake"), 300, TimeUnit.MILLISECONDS);
            // woken at 300 ms; then KCL sleeps the rest of the short pause (1 s after the last call)
            assertThat(pause(polling, after(0))).isBetween(900L, 1_600L);
            // a write while the shard was reading (before the controller is asked): the short pause only, not 4 s
            AdaptivePolling.wrote("t-wake");
            assertThat(pause(polling, after(0))).isBetween(900L, 1_600L);
        } finally {
            writer.shutdownNow();
            polling.unregister();
        }
    }

    @Test
    void stoppingEndsTheWaitAndNoLongPauseFollows() {
        AdaptivePolling polling = new AdaptivePolling("t-stop", 1_000, 10_000).register();
        ScheduledExecutorService stopper = Executors.newSingleThreadScheduledExecutor();
        try {
            pause(polling, after(3));
            stopper.schedule(polling::stop, 200, TimeUnit.MILLISECONDS);
            // would be 2 s: ends at the stop, then KCL's own short sleep
            long stopped = pause(polling, after(0));
            assertThat(stopped).isBetween(150L, 1_600L);
            assertThat(pause(polling, after(0))).isLessThan(1_600L);
        } finally {
            stopper.shutdownNow();
        }
    }
}
