package io.cqrsworkers.localaws.emulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A clock that only moves when told, for any emulator's {@code clock(...)}: tests advance it instead of waiting, and
 * every timer registered with {@link #onAdvance} (the Step Functions engine's) looks again for what became due.
 */
public final class ManualClock extends Clock {
    private volatile Instant now;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    public ManualClock(Instant start) {
        this.now = start;
    }

    public void advance(Duration d) {
        synchronized (this) {
            now = now.plus(d);
        }
        listeners.forEach(Runnable::run);
    }

    /** Runs after each {@link #advance}. */
    public void onAdvance(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("ManualClock is UTC only");
    }
}
