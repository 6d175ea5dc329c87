package io.cqrsworkers.localaws.stepfunctions;

import io.cqrsworkers.localaws.emulator.EmulatorBuilder;
import io.cqrsworkers.localaws.http.AwsJsonEmulator;
import io.cqrsworkers.localaws.http.AwsJsonServer;
import io.cqrsworkers.localaws.persist.JsonLinesLog;
import io.cqrsworkers.localaws.persist.StateJournal;
import io.cqrsworkers.localaws.stepfunctions.api.Operations;
import io.cqrsworkers.localaws.stepfunctions.integrations.AwsJsonIntegration;
import io.cqrsworkers.localaws.stepfunctions.integrations.Integrations;
import io.cqrsworkers.localaws.stepfunctions.integrations.S3Integration;
import io.cqrsworkers.localaws.stepfunctions.runtime.Engine;
import io.cqrsworkers.localaws.stepfunctions.runtime.MockConfig;
import io.cqrsworkers.localaws.stepfunctions.store.EngineJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The embedded AWS Step Functions: an Amazon States Language engine behind the AWSStepFunctions JSON API, served
 * like the other emulators ({@link AwsJsonEmulator}). Task states reach SQS, DynamoDB and S3 at the configured
 * endpoints.
 */
public final class StepFunctionsEmulator extends AwsJsonEmulator {
    private static final Logger LOG = LoggerFactory.getLogger(StepFunctionsEmulator.class);

    private final Builder config;
    private volatile Engine engine;

    private StepFunctionsEmulator(Builder config) {
        super(config.settings());
        this.config = config;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "stepfunctions";
    }

    /** The engine, restored from the data directory (its own journal) before the port opens. */
    @Override
    protected AwsJsonServer prepare(ScheduledExecutorService background) throws IOException {
        Integrations integrations = new Integrations();
        if (config.sqsEndpoint != null) {
            integrations.add(new AwsJsonIntegration("sqs", config.sqsEndpoint, "AmazonSQS", settings.region()));
        }
        if (config.dynamoDbEndpoint != null) {
            integrations.add(new AwsJsonIntegration("dynamodb", config.dynamoDbEndpoint, "DynamoDB_20120810",
                    settings.region()));
        }
        if (config.s3Endpoint != null) {
            integrations.add(new S3Integration(config.s3Endpoint, settings.region()));
        }
        EngineJournal journal = settings.dataDir() == null ? null
                : EngineJournal.open(settings.dataDir(), config.snapshotAfterBytes);
        engine = new Engine(settings.region(), settings.accountId(), settings.clock(), integrations, journal,
                config.workerThreads);
        engine.timeScale(config.timeScale);
        engine.historyLimit(config.historyLimit);
        if (config.mockConfig != null) {
            engine.mockConfig(MockConfig.load(config.mockConfig));
            LOG.info("Step Functions mock configuration {}", config.mockConfig);
        }
        LOG.info("Step Functions {}", engine.recover());
        engine.retainClosedExecutions(config.executionRetention);
        engine.compactEvery(Duration.ofSeconds(30));
        return new AwsJsonServer(Operations.all(engine),
                new AwsJsonServer.Settings("states." + settings.region() + ".amazonaws.com", "", false, "sfn-http"));
    }

    /**
     * None of the shared kind: the engine keeps its own journal (opened by {@link #prepare}; executions and their
     * histories, compacted on the engine's clock).
     */
    @Override
    protected StateJournal openJournal(Path dataDir) {
        return null;
    }

    @Override
    protected void release() {
        Engine e = engine;
        if (e != null) {
            e.close();
        }
    }

    /** The engine behind the API, for in-process callers and tests. */
    public Engine engine() {
        return engine;
    }

    /**
     * Settings as every emulator's ({@link EmulatorBuilder}); the clock drives Wait, retries and timeouts (a
     * {@link io.cqrsworkers.localaws.emulator.ManualClock} fires them when moved on).
     */
    public static final class Builder extends EmulatorBuilder<Builder> {
        private URI sqsEndpoint;
        private URI s3Endpoint;
        private URI dynamoDbEndpoint;
        private int workerThreads = Math.max(4, Runtime.getRuntime().availableProcessors() * 2);
        private Duration executionRetention = Duration.ofDays(90);
        private long snapshotAfterBytes = JsonLinesLog.MIN_JOURNAL_BYTES;
        private Path mockConfig;
        private double timeScale = 1.0;
        private int historyLimit = Engine.DEFAULT_HISTORY_LIMIT;

        private Builder() {
            super(16);
        }

        public Builder sqsEndpoint(URI uri) {
            this.sqsEndpoint = uri;
            return this;
        }

        public Builder s3Endpoint(URI uri) {
            this.s3Endpoint = uri;
            return this;
        }

        public Builder dynamoDbEndpoint(URI uri) {
            this.dynamoDbEndpoint = uri;
            return this;
        }

        public Builder workerThreads(int n) {
            this.workerThreads = n;
            return this;
        }

        /** How long a closed execution is kept (listed, described, its history) after it stopped; AWS: 90 days. */
        public Builder executionRetention(Duration retention) {
            this.executionRetention = retention;
            return this;
        }

        /**
         * How much journal is written before a snapshot is due (checked every 30 s of the engine's clock; also only
         * once the journal outgrew the last snapshot); default 64 MB.
         */
        public Builder snapshotAfterBytes(long bytes) {
            this.snapshotAfterBytes = bytes;
            return this;
        }

        /**
         * A mock configuration in Step Functions Local's format: an execution started on
         * {@code <stateMachineArn>#<test case>} answers the Task states the case names with its mocked responses.
         */
        public Builder mockConfig(Path file) {
            this.mockConfig = file;
            return this;
        }

        /**
         * Shortens (or stretches) every delay of a workflow: Wait, Retry intervals, TimeoutSeconds, HeartbeatSeconds;
         * 0.01 runs a 60 s Wait in 0.6 s. The history keeps the definition's values. Default 1. A {@link #clock}
         * ManualClock stays the way to control time exactly.
         */
        public Builder timeScale(double factor) {
            if (!(factor > 0) || Double.isInfinite(factor)) {
                throw new IllegalArgumentException("The time scale must be a positive number, not " + factor);
            }
            this.timeScale = factor;
            return this;
        }

        /**
         * The most events a standard execution's history holds; the event that would pass it ends the execution as
         * AWS ends it ({@code States.Runtime}, "The execution reached the maximum number of history events (N)."),
         * unless it is the execution's own success. Default 25,000, AWS's hard quota; a small value lets a test reach
         * it quickly. At least 2 (the start and the end).
         */
        public Builder historyLimit(int events) {
            Engine.checkHistoryLimit(events);
            this.historyLimit = events;
            return this;
        }

        public StepFunctionsEmulator build() {
            return new StepFunctionsEmulator(this);
        }
    }

    /**
     * Runs the engine alone: {@code [port (default 8083)] [dataDir]}; endpoints of integrations from SQS_ENDPOINT,
     * S3_ENDPOINT, DYNAMODB_ENDPOINT, a mock configuration from SFN_MOCK_CONFIG (as Step Functions Local), a time
     * scale from SFN_TIME_SCALE.
     */
    public static void main(String[] args) throws Exception {
        Builder b = builder().args(args, 8083);
        String sqs = System.getenv("SQS_ENDPOINT");
        String s3 = System.getenv("S3_ENDPOINT");
        String ddb = System.getenv("DYNAMODB_ENDPOINT");
        if (sqs != null) {
            b.sqsEndpoint(URI.create(sqs));
        }
        if (s3 != null) {
            b.s3Endpoint(URI.create(s3));
        }
        if (ddb != null) {
            b.dynamoDbEndpoint(URI.create(ddb));
        }
        String mocks = System.getenv("SFN_MOCK_CONFIG");
        if (mocks != null && !mocks.isBlank()) {
            b.mockConfig(Path.of(mocks));
        }
        String scale = System.getenv("SFN_TIME_SCALE");
        if (scale != null && !scale.isBlank()) {
            b.timeScale(Double.parseDouble(scale));
        }
        EmulatorBuilder.runAlone(b.build());
    }
}
