package io.cqrsworkers.localaws.stepfunctions;

import io.cqrsworkers.localaws.EmbeddedService;
import io.cqrsworkers.localaws.stepfunctions.api.SfnHttpServer;
import io.cqrsworkers.localaws.stepfunctions.integrations.Integrations;
import io.cqrsworkers.localaws.stepfunctions.integrations.S3Integration;
import io.cqrsworkers.localaws.stepfunctions.integrations.AwsJsonIntegration;
import io.cqrsworkers.localaws.stepfunctions.integrations.StatesIntegration;
import io.cqrsworkers.localaws.stepfunctions.runtime.Engine;
import io.cqrsworkers.localaws.stepfunctions.runtime.MockConfig;
import io.cqrsworkers.localaws.persist.JsonLinesLog;
import io.cqrsworkers.localaws.stepfunctions.store.EngineJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The embedded AWS Step Functions: an Amazon States Language engine behind the AWSStepFunctions JSON API.
 * Task states reach SQS, DynamoDB and S3 at the configured endpoints.
 */
public final class StepFunctionsEmulator implements EmbeddedService {
    private static final Logger LOG = LoggerFactory.getLogger(StepFunctionsEmulator.class);

    private final Builder config;
    private Engine engine;
    private SfnHttpServer server;
    private volatile boolean running;

    private StepFunctionsEmulator(Builder config) {
        this.config = config;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "stepfunctions";
    }

    @Override
    public synchronized void start() throws Exception {
        if (running) {
            return;
        }
        Integrations integrations = new Integrations();
        if (config.sqsEndpoint != null) {
            integrations.add(new AwsJsonIntegration("sqs", config.sqsEndpoint, "AmazonSQS", config.region));
        }
        if (config.dynamoDbEndpoint != null) {
            integrations.add(new AwsJsonIntegration("dynamodb", config.dynamoDbEndpoint, "DynamoDB_20120810", config.region));
        }
        if (config.s3Endpoint != null) {
            integrations.add(new S3Integration(config.s3Endpoint, config.region));
        }
        integrations.add("states", StatesIntegration::new);
        EngineJournal journal = config.dataDir == null ? null : EngineJournal.open(config.dataDir, config.snapshotAfterBytes);
        engine = new Engine(config.region, config.account, config.clock, integrations, journal, config.workerThreads);
        engine.timeScale(config.timeScale);
        if (config.mockConfig != null) {
            engine.mockConfig(MockConfig.load(config.mockConfig));
            LOG.info("Step Functions mock configuration {}", config.mockConfig);
        }
        LOG.info("Step Functions {}", engine.recover());
        engine.retainClosedExecutions(config.executionRetention);
        engine.compactEvery(Duration.ofSeconds(30));
        server = new SfnHttpServer(engine, config.host, config.port, config.httpThreads);
        server.start();
        running = true;
        LOG.info("Step Functions listening on {}", endpoint());
    }

    @Override
    public URI endpoint() {
        return URI.create("http://" + config.host + ":" + (server == null ? config.port : server.port()));
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** The engine behind the API, for in-process callers and tests. */
    public Engine engine() {
        return engine;
    }

    @Override
    public synchronized void close() {
        running = false;
        if (server != null) {
            server.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    /** Settings: host 127.0.0.1, port 0 (any free port), in-memory, us-east-1, account 000000000000. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private Path dataDir;
        private String region = "us-east-1";
        private String account = "000000000000";
        private URI sqsEndpoint;
        private URI s3Endpoint;
        private URI dynamoDbEndpoint;
        private Clock clock = Clock.systemUTC();
        private int workerThreads = Math.max(4, Runtime.getRuntime().availableProcessors() * 2);
        private int httpThreads = 16;
        private Duration executionRetention = Duration.ofDays(90);
        private long snapshotAfterBytes = JsonLinesLog.MIN_JOURNAL_BYTES;
        private Path mockConfig;
        private double timeScale = 1.0;

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Where machines, executions and histories are kept across restarts; null keeps them in memory only. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        public Builder region(String region) {
            this.region = region;
            return this;
        }

        public Builder account(String account) {
            this.account = account;
            return this;
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

        /** The engine's time source; give a {@code runtime.ManualClock} to drive Wait, retries and timeouts from tests. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder workerThreads(int n) {
            this.workerThreads = n;
            return this;
        }

        public Builder httpThreads(int n) {
            this.httpThreads = n;
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

        public StepFunctionsEmulator build() {
            return new StepFunctionsEmulator(this);
        }
    }

    /**
     * Runs the engine alone: {@code [port] [dataDir]}; endpoints of integrations from SQS_ENDPOINT, S3_ENDPOINT,
     * DYNAMODB_ENDPOINT, a mock configuration from SFN_MOCK_CONFIG (as Step Functions Local), a time scale from
     * SFN_TIME_SCALE.
     */
    public static void main(String[] args) throws Exception {
        Builder b = builder().port(args.length > 0 ? Integer.parseInt(args[0]) : 8083);
        if (args.length > 1) {
            b.dataDir(Path.of(args[1]));
        }
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
        StepFunctionsEmulator e = b.build();
        Runtime.getRuntime().addShutdownHook(new Thread(e::close));
        e.start();
        System.out.println("Step Functions on " + e.endpoint());
        Thread.currentThread().join();
    }
}
