package io.cqrsworkers.localaws.stepfunctions.runtime;

import io.cqrsworkers.localaws.emulator.ManualClock;

import java.time.Clock;
import java.time.Instant;
import java.util.PriorityQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One thread and a priority queue for every timed thing (Wait, retries, timeouts, heartbeats): a parked execution
 * costs a queue entry, not a thread. Due timers are handed to the worker pool. Time comes from the engine's
 * {@link Clock}; with a {@link ManualClock} timers fire when the test advances it.
 */
public final class Timers implements AutoCloseable {
    /** A scheduled action; cancel() is cheap and idempotent. */
    public static final class Timer implements Comparable<Timer> {
        private static final AtomicLong SEQ = new AtomicLong();
        final long dueMillis;
        final long seq = SEQ.incrementAndGet();
        final Runnable action;
        volatile boolean cancelled;

        Timer(long dueMillis, Runnable action) {
            this.dueMillis = dueMillis;
            this.action = action;
        }

        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Timer o) {
            return dueMillis != o.dueMillis ? Long.compare(dueMillis, o.dueMillis) : Long.compare(seq, o.seq);
        }
    }

    private final Clock clock;
    private final Executor workers;
    private final PriorityQueue<Timer> queue = new PriorityQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    public Timers(Clock clock, Executor workers) {
        this.clock = clock;
        this.workers = workers;
        if (clock instanceof ManualClock manual) {
            manual.onAdvance(this::wake);
        }
        this.thread = new Thread(this::loop, "sfn-timers");
        thread.setDaemon(true);
        thread.start();
    }

    public Timer at(Instant when, Runnable action) {
        Timer t = new Timer(when.toEpochMilli(), action);
        synchronized (queue) {
            queue.add(t);
            if (queue.peek() == t) {
                queue.notifyAll();
            }
        }
        return t;
    }

    public Timer after(long millis, Runnable action) {
        return at(clock.instant().plusMillis(millis), action);
    }

    private void wake() {
        synchronized (queue) {
            queue.notifyAll();
        }
    }

    private void loop() {
        while (running) {
            Timer due = null;
            synchronized (queue) {
                Timer head = queue.peek();
                long now = clock.millis();
                if (head == null) {
                    waitQuietly(1000);
                } else if (head.cancelled) {
                    queue.poll();
                } else if (head.dueMillis <= now) {
                    due = queue.poll();
                } else {
                    waitQuietly(Math.min(head.dueMillis - now, 1000));
                }
            }
            if (due != null) {
                workers.execute(due.action);
            }
        }
    }

    private void waitQuietly(long millis) {
        try {
            queue.wait(Math.max(1, millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
