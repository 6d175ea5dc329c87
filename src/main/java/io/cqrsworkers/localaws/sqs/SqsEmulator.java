package io.cqrsworkers.localaws.sqs;

import io.cqrsworkers.localaws.EmbeddedService;
import io.cqrsworkers.localaws.http.AwsJsonServer;
import io.cqrsworkers.localaws.sqs.api.Operations;
import io.cqrsworkers.localaws.sqs.persist.SqsJournal;
import io.cqrsworkers.localaws.sqs.store.Queues;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * SQS (AWS JSON 1.0 protocol, standard and FIFO queues) in this JVM. In memory unless given a data directory; with
 * one, every acknowledged send, delete, receive count and queue change is journaled before the answer, so a kill -9
 * loses nothing acknowledged.
 *
 * <pre>
 * try (SqsEmulator sqs = new SqsEmulator("127.0.0.1", 0, "us-east-1", "000000000000", null)) {
 *     sqs.start();
 *     SqsClient client = SqsClient.builder().endpointOverride(sqs.endpoint())...
 * }
 * </pre>
 */
public final class SqsEmulator implements EmbeddedService {

    private static final Logger LOG = LoggerFactory.getLogger(SqsEmulator.class);
    /** Long polls park their exchange instead of a thread, so a small pool serves many waiting consumers. */
    private static final int THREADS = Math.max(8, Runtime.getRuntime().availableProcessors() * 4);

    private final String host;
    private final int port;
    private final String region;
    private final String accountId;
    private final Path dataDir;
    private final Clock clock;
    private AwsJsonServer server;
    private ScheduledExecutorService timers;
    private volatile SqsJournal journal;
    private volatile InetSocketAddress address;

    /**
     * @param port    0 picks a free port; {@link #endpoint()} reports the real one
     * @param dataDir where queues and messages survive restarts; null keeps them in memory
     */
    public SqsEmulator(String host, int port, String region, String accountId, Path dataDir) {
        this(host, port, region, accountId, dataDir, Clock.systemUTC());
    }

    /**
     * @param clock what "now" is for delays, visibility timeouts, retention and timestamps: a test can move it on
     *              instead of waiting (timers that wake long polls still run in real time)
     */
    public SqsEmulator(String host, int port, String region, String accountId, Path dataDir, Clock clock) {
        this.clock = clock;
        this.host = host;
        this.port = port;
        this.region = region;
        this.accountId = accountId;
        this.dataDir = dataDir;
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
        Queues queues = new Queues(region, accountId, () -> endpoint().toString(), clock, timers);
        if (dataDir != null) {
            journal = SqsJournal.open(dataDir, queues);
            timers.scheduleWithFixedDelay(this::compactIfLarge, 30, 30, TimeUnit.SECONDS);
        }
        AwsJsonServer starting = new AwsJsonServer(Operations.all(queues, clock),
                new AwsJsonServer.Settings("sqs." + region + ".amazonaws.com", "com.amazonaws.sqs#", false,
                        "sqs-http"));
        try {
            address = starting.start(host, port, THREADS);
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
        LOG.info("SQS emulator listening on {} ({})", endpoint(), dataDir == null ? "in memory" : dataDir);
    }

    @Override
    public URI endpoint() {
        InetSocketAddress a = address;
        return URI.create("http://" + host + ":" + (a != null ? a.getPort() : port));
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

    /** Starts the emulator on the port given as first argument (default 9324) and an optional data directory. */
    public static void main(String[] args) throws Exception {
        SqsEmulator emulator = new SqsEmulator("127.0.0.1", args.length > 0 ? Integer.parseInt(args[0]) : 9324,
                "us-east-1", "000000000000", args.length > 1 ? Path.of(args[1]) : null);
        emulator.start();
        Runtime.getRuntime().addShutdownHook(new Thread(emulator::close));
        Thread.currentThread().join();
    }
}
