package io.cqrsworkers.localaws.dynamodb;

import io.cqrsworkers.localaws.dynamodb.model.DynamoDbException;
import io.cqrsworkers.localaws.emulator.EmulatorBuilder;
import io.cqrsworkers.localaws.dynamodb.api.Operations;
import io.cqrsworkers.localaws.dynamodb.persist.Journal;
import io.cqrsworkers.localaws.dynamodb.store.Database;
import io.cqrsworkers.localaws.dynamodb.store.TtlReaper;
import io.cqrsworkers.localaws.http.AwsJsonEmulator;
import io.cqrsworkers.localaws.http.AwsJsonServer;
import io.cqrsworkers.localaws.persist.StateJournal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
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
public final class DynamoDbEmulator extends AwsJsonEmulator {

    private final Database db;
    private final Duration ttlInterval;

    private DynamoDbEmulator(Builder b) {
        super(b.settings());
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
    protected AwsJsonServer prepare(ScheduledExecutorService background) {
        background.scheduleWithFixedDelay(new TtlReaper(db), ttlInterval.toMillis(), ttlInterval.toMillis(),
                TimeUnit.MILLISECONDS);
        return new AwsJsonServer(Operations.all(db, () -> endpoint().getAuthority()),
                new AwsJsonServer.Settings("dynamodb." + db.region() + ".amazonaws.com", DynamoDbException.NAMESPACE,
                        true, "dynamodb-http", true));
    }

    @Override
    protected StateJournal openJournal(Path dataDir) throws IOException {
        return Journal.open(dataDir, db);
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
         * How long a created or updated table stays CREATING / UPDATING before it is ACTIVE, and a global secondary
         * index that UpdateTable adds CREATING (default 0: ACTIVE at once; CreateTable still answers CREATING and
         * UpdateTable UPDATING, as DynamoDB does). Item operations on a CREATING table answer
         * ResourceNotFoundException; UpdateTable and DeleteTable on a CREATING or UPDATING table answer
         * ResourceInUseException.
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
