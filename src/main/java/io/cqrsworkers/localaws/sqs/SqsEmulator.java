package io.cqrsworkers.localaws.sqs;

import io.cqrsworkers.localaws.EmbeddedService;
import io.cqrsworkers.localaws.EmulatorBuilder;
import io.cqrsworkers.localaws.http.AwsJsonServer;
import io.cqrsworkers.localaws.sqs.api.Operations;
import io.cqrsworkers.localaws.sqs.persist.SqsJournal;
import io.cqrsworkers.localaws.sqs.store.Queues;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * SQS (AWS JSON 1.0 protocol, standard and FIFO queues) in this JVM. In memory unless given a data directory; with
 * one, every acknowledged send, delete, receive count and queue change is journaled before the answer, so a kill -9
 * loses nothing acknowledged.
 *
 * <pre>
 * try (SqsEmulator sqs = SqsEmulator.builder().build()) {
 *     sqs.start();
 *     SqsClient client = SqsClient.builder().endpointOverride(sqs.endpoint())...
 * }
 * </pre>
 */
public final class SqsEmulator implements EmbeddedService {

    private static final Logger LOG = LoggerFactory.getLogger(SqsEmulator.class);
    /** Long polls park their exchange instead of a thread, so a small pool serves many waiting consumers. */
    private static final int THREADS = Math.max(8, Runtime.getRuntime().availableProcessors() * 4);

    private final EmulatorBuilder.Settings settings;
    private AwsJsonServer server;
    private ScheduledExecutorService timers;
    private volatile SqsJournal journal;
    private volatile InetSocketAddress address;

    private SqsEmulator(Builder b) {
        this.settings = b.settings();
    }

    /**
     * Settings as every emulator's ({@link EmulatorBuilder}); the clock is what "now" is for delays, visibility
     * timeouts, retention and timestamps (timers that wake long polls still run in real time).
     */
    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder extends EmulatorBuilder<Builder> {
        private Builder() {
            super(THREADS);
        }

        public SqsEmulator build() {
            return new SqsEmulator(this);
        }
    }

    @Override
    public String name() {
        return "sqs";
    }

    @Override
    public synchronized void start() throws IOException {
        if (server != null) {
            return;
        }
        ScheduledThreadPoolExecutor timerPool = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "sqs-timers");
            t.setDaemon(true);
            return t;
        });
        // most long polls are answered early: their cancelled timeouts should not pile up until due
        timerPool.setRemoveOnCancelPolicy(true);
        timers = timerPool;
        Queues queues = new Queues(settings.region(), settings.accountId(), () -> endpoint().toString(),
                settings.clock(), timers);
        if (settings.dataDir() != null) {
            journal = SqsJournal.open(settings.dataDir(), queues);
            timers.scheduleWithFixedDelay(this::compactIfLarge, 30, 30, TimeUnit.SECONDS);
        }
        AwsJsonServer starting = new AwsJsonServer(Operations.all(queues, settings.clock()),
                new AwsJsonServer.Settings("sqs." + settings.region() + ".amazonaws.com", "com.amazonaws.sqs#", false,
                        "sqs-http"));
        try {
            address = starting.start(settings.host(), settings.port(), settings.threads());
        } catch (Exception e) {
            // e.g. the port is taken: nothing is left running, and close() has nothing to stop
            timers.shutdownNow();
            if (journal != null) {
                journal.close();
                journal = null;
            }
            throw e;
        }
        server = starting;
        LOG.info("SQS emulator listening on {} ({})", endpoint(),
                settings.dataDir() == null ? "in memory" : settings.dataDir());
    }

    @Override
    public URI endpoint() {
        InetSocketAddress a = address;
        return URI.create("http://" + settings.host() + ":" + (a != null ? a.getPort() : settings.port()));
    }

    @Override
    public synchronized boolean isRunning() {
        return server != null;
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop();
            server = null;
            timers.shutdownNow();
            if (journal != null) {
                journal.close();
                journal = null;
            }
        }
    }

    /**
     * Writes a snapshot and starts a fresh journal now (normally done once the journal outgrows 64 MB and the last
     * snapshot).
     */
    public void compact() throws IOException {
        SqsJournal j = journal;
        if (j != null) {
            j.compact();
        }
    }

    private void compactIfLarge() {
        SqsJournal j = journal;
        try {
            if (j != null && j.worthCompacting()) {
                j.compact();
            }
        } catch (Exception e) {
            LOG.warn("SQS journal compaction failed", e);
        }
    }

    /** Starts the emulator alone: {@code [port (default 9324)] [dataDir]}. */
    public static void main(String[] args) throws Exception {
        EmulatorBuilder.runAlone(builder().args(args, 9324).build());
    }
}
