package io.cqrsworkers.localaws.dynamodb;

import io.cqrsworkers.localaws.EmbeddedService;
import io.cqrsworkers.localaws.dynamodb.api.Operations;
import io.cqrsworkers.localaws.dynamodb.persist.Journal;
import io.cqrsworkers.localaws.dynamodb.store.Database;
import io.cqrsworkers.localaws.dynamodb.store.TtlReaper;
import io.cqrsworkers.localaws.http.AwsJsonServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * DynamoDB and DynamoDB Streams on one HTTP port, in this JVM. In memory unless given a data directory.
 *
 * <pre>
 * try (DynamoDbEmulator ddb = DynamoDbEmulator.builder().port(0).build()) {
 *     ddb.start();
 *     DynamoDbClient client = DynamoDbClient.builder().endpointOverride(ddb.endpoint())...
 * }
 * </pre>
 */
public final class DynamoDbEmulator implements EmbeddedService {

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbEmulator.class);

    private final String host;
    private final int port;
    private final Path dataDir;
    private final Database db;
    private final int threads;
    private final Duration ttlInterval;
    private AwsJsonServer server;
    private ScheduledExecutorService background;
    private Journal journal;
    private InetSocketAddress address;

    private DynamoDbEmulator(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.dataDir = b.dataDir;
        this.threads = b.threads;
        this.ttlInterval = b.ttlInterval;
        this.db = new Database(b.region, b.accountId, b.shardRollover, b.streamRetention, b.clock);
        this.db.statusDelay(b.tableStatusDelay);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "dynamodb";
    }

    @Override
    public synchronized void start() throws Exception {
        if (server != null) {
            return;
        }
        if (dataDir != null) {
            journal = Journal.open(dataDir, db);
        }
        AwsJsonServer starting = new AwsJsonServer(Operations.all(db, () -> endpoint().getAuthority()),
                new AwsJsonServer.Settings("dynamodb." + db.region() + ".amazonaws.com", DynamoDbException.NAMESPACE,
                        true, "dynamodb-http", true));
        try {
            address = starting.start(host, port, threads);
        } catch (Exception e) {
            // e.g. the port is taken: nothing is left running, and close() has nothing to stop
            if (journal != null) {
                journal.close();
                journal = null;
            }
            throw e;
        }
        server = starting;
        background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dynamodb-background");
            t.setDaemon(true);
            return t;
        });
        background.scheduleWithFixedDelay(new TtlReaper(db), ttlInterval.toMillis(), ttlInterval.toMillis(),
                TimeUnit.MILLISECONDS);
        if (journal != null) {
            background.scheduleWithFixedDelay(this::compactIfLarge, 30, 30, TimeUnit.SECONDS);
        }
        LOG.info("DynamoDB emulator listening on {} ({})", endpoint(), dataDir == null ? "in memory" : dataDir);
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
            background.shutdownNow();
            server.stop();
            server = null;
            if (journal != null) {
                journal.close();
                journal = null;
            }
        }
    }

    private void compactIfLarge() {
        try {
            if (journal.worthCompacting()) {
                journal.compact();
            }
        } catch (Exception e) {
            LOG.warn("Journal compaction failed", e);
        }
    }

    /**
     * Writes a snapshot and starts a fresh journal now (normally done once the journal outgrows 64 MB and the last
     * snapshot).
     */
    public void compact() throws IOException {
        if (journal != null) {
            journal.compact();
        }
    }

    /** Starts the emulator on the port given as first argument (default 8000) and an optional data directory. */
    public static void main(String[] args) throws Exception {
        Builder b = builder().port(args.length > 0 ? Integer.parseInt(args[0]) : 8000);
        if (args.length > 1) {
            b.dataDir(Path.of(args[1]));
        }
        DynamoDbEmulator emulator = b.build();
        emulator.start();
        Runtime.getRuntime().addShutdownHook(new Thread(emulator::close));
        Thread.currentThread().join();
    }

    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private Path dataDir;
        private Duration shardRollover = Duration.ofHours(4);
        private Duration streamRetention = Duration.ofHours(24);
        private String region = "us-east-1";
        private String accountId = "000000000000";
        private int threads = Math.max(8, Runtime.getRuntime().availableProcessors() * 4);
        private Clock clock = Clock.systemUTC();
        private Duration ttlInterval = Duration.ofSeconds(5);
        private Duration tableStatusDelay = Duration.ZERO;

        /**
         * How long a created or updated table stays CREATING / UPDATING before it is ACTIVE (default 0: ACTIVE at
         * once; CreateTable still answers CREATING, as DynamoDB does). Item operations on a CREATING table answer
         * ResourceNotFoundException.
         */
        public Builder tableStatusDelay(Duration delay) {
            this.tableStatusDelay = delay;
            return this;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** 0 picks a free port; {@link #endpoint()} reports the real one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Where tables survive restarts; null keeps everything in memory. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        public Builder shardRollover(Duration period) {
            this.shardRollover = period;
            return this;
        }

        public Builder streamRetention(Duration retention) {
            this.streamRetention = retention;
            return this;
        }

        public Builder region(String region) {
            this.region = region;
            return this;
        }

        public Builder accountId(String accountId) {
            this.accountId = accountId;
            return this;
        }

        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /** For tests that move time (TTL, retention, iterator expiry). */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** How often expired items are looked for (AWS takes up to days; default 5 s). */
        public Builder ttlInterval(Duration interval) {
            this.ttlInterval = interval;
            return this;
        }

        public DynamoDbEmulator build() {
            return new DynamoDbEmulator(this);
        }
    }
}
