package io.cqrsworkers.localaws.dynamodb;

import io.cqrsworkers.localaws.EmbeddedService;
import io.cqrsworkers.localaws.EmulatorBuilder;
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

    private final EmulatorBuilder.Settings settings;
    private final Database db;
    private final Duration ttlInterval;
    private AwsJsonServer server;
    private ScheduledExecutorService background;
    private Journal journal;
    private InetSocketAddress address;

    private DynamoDbEmulator(Builder b) {
        this.settings = b.settings();
        this.ttlInterval = b.ttlInterval;
        this.db = new Database(settings.region(), settings.accountId(), b.shardRollover, b.streamRetention,
                settings.clock());
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
        if (settings.dataDir() != null) {
            journal = Journal.open(settings.dataDir(), db);
        }
        AwsJsonServer starting = new AwsJsonServer(Operations.all(db, () -> endpoint().getAuthority()),
                new AwsJsonServer.Settings("dynamodb." + db.region() + ".amazonaws.com", DynamoDbException.NAMESPACE,
                        true, "dynamodb-http", true));
        try {
            address = starting.start(settings.host(), settings.port(), settings.threads());
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
        LOG.info("DynamoDB emulator listening on {} ({})", endpoint(),
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

    /** Starts the emulator alone: {@code [port (default 8000)] [dataDir]}. */
    public static void main(String[] args) throws Exception {
        EmulatorBuilder.runAlone(builder().args(args, 8000).build());
    }

    /** Settings as every emulator's ({@link EmulatorBuilder}); the clock drives TTL, retention and iterator expiry. */
    public static final class Builder extends EmulatorBuilder<Builder> {
        private Duration shardRollover = Duration.ofHours(4);
        private Duration streamRetention = Duration.ofHours(24);
        private Duration ttlInterval = Duration.ofSeconds(5);
        private Duration tableStatusDelay = Duration.ZERO;

        private Builder() {
            super(Math.max(8, Runtime.getRuntime().availableProcessors() * 4));
        }

        /**
         * How long a created or updated table stays CREATING / UPDATING before it is ACTIVE (default 0: ACTIVE at
         * once; CreateTable still answers CREATING, as DynamoDB does). Item operations on a CREATING table answer
         * ResourceNotFoundException.
         */
        public Builder tableStatusDelay(Duration delay) {
            this.tableStatusDelay = delay;
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
