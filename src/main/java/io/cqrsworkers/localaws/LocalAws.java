package io.cqrsworkers.localaws;

import io.cqrsworkers.embedded.EmbeddedAws;
import io.cqrsworkers.embedded.InProcessEndpoints;
import io.cqrsworkers.localaws.dynamodb.DynamoDbEmulator;
import io.cqrsworkers.localaws.emulator.EmbeddedService;
import io.cqrsworkers.localaws.emulator.EmulatorBuilder;
import io.cqrsworkers.localaws.http.AwsJsonEmulator;
import io.cqrsworkers.localaws.s3.S3ProxyService;
import io.cqrsworkers.localaws.sqs.SqsEmulator;
import io.cqrsworkers.localaws.stepfunctions.StepFunctionsEmulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The embedded default: every AWS service the product uses, started in this JVM on 127.0.0.1. This is the one place
 * that lists them; each is keyed like {@link EmbeddedAws}' service keys.
 */
public final class LocalAws implements EmbeddedAws {

    private static final Logger LOG = LoggerFactory.getLogger(LocalAws.class);

    private final Map<String, EmbeddedService> services;

    private LocalAws(Map<String, EmbeddedService> services) {
        this.services = services;
    }

    /** How the service finds this class: registered in {@code META-INF/services}, loaded by {@link EmbeddedAws#start}. */
    public static final class Provider implements EmbeddedAws.Provider {
        @Override
        public EmbeddedAws start(Function<String, String> config) throws Exception {
            return LocalAws.start(config);
        }
    }

    /**
     * Starts the services from configuration keys {@code app.local.*}: SQS, S3 and DynamoDB in parallel, then Step
     * Functions, which calls the other three.
     *
     * @param config property lookup; returns null for an unset key
     */
    public static LocalAws start(Function<String, String> config) throws Exception {
        Map<String, EmbeddedService> services = new LinkedHashMap<>();
        services.put(EmbeddedAws.SQS, placed(SqsEmulator.builder(), config, EmbeddedAws.SQS, 9324).build());
        services.put(EmbeddedAws.S3, new S3ProxyService(setting(config, "app.local.host", "127.0.0.1"),
                port(config, EmbeddedAws.S3, 9000), dataDir(config).resolve(EmbeddedAws.S3)));
        services.put(EmbeddedAws.DYNAMODB, placed(DynamoDbEmulator.builder(), config, EmbeddedAws.DYNAMODB, 8000)
                .shardRollover(Duration.parse(setting(config, "app.local.dynamodb.shard-rollover", "PT4H")))
                .build());

        LocalAws local = new LocalAws(services);
        startAll(local, services.values());
        StepFunctionsEmulator.Builder stepFunctionsBuilder =
                placed(StepFunctionsEmulator.builder(), config, EmbeddedAws.STEP_FUNCTIONS, 8083)
                .sqsEndpoint(services.get(EmbeddedAws.SQS).endpoint())
                .s3Endpoint(services.get(EmbeddedAws.S3).endpoint())
                .dynamoDbEndpoint(services.get(EmbeddedAws.DYNAMODB).endpoint())
                .executionRetention(Duration.parse(setting(config, "app.local.stepfunctions.execution-retention", "P1D")))
                .timeScale(Double.parseDouble(setting(config, "app.local.stepfunctions.time-scale", "1")));
        // Step Functions Local's SFN_MOCK_CONFIG when the property is not set
        String mockConfig = setting(config, "app.local.stepfunctions.mock-config", System.getenv("SFN_MOCK_CONFIG"));
        if (mockConfig != null && !mockConfig.isBlank()) {
            stepFunctionsBuilder.mockConfig(Path.of(mockConfig));
        }
        StepFunctionsEmulator stepFunctions = stepFunctionsBuilder.build();
        services.put(EmbeddedAws.STEP_FUNCTIONS, stepFunctions);
        startAll(local, List.of(stepFunctions));
        if (Boolean.parseBoolean(setting(config, "app.local.in-process", "true"))) {
            local.serveInProcess();
        }
        LOG.debug("Embedded AWS started: {}", local.endpoints());
        return local;
    }

    /**
     * The settings every emulator takes alike from {@code app.local.*}: host, port ({@code app.local.<service>.port}),
     * its folder of the data directory, region and account.
     */
    private static <B extends EmulatorBuilder<B>> B placed(B builder, Function<String, String> config, String service,
                                                           int defaultPort) {
        return builder.host(setting(config, "app.local.host", "127.0.0.1"))
                .port(port(config, service, defaultPort))
                .dataDir(dataDir(config).resolve(service))
                .region(setting(config, "aws.region", "us-east-1"))
                .accountId(setting(config, "app.local.account-id", "000000000000"));
    }

    /**
     * Lets this JVM's clients of SQS, DynamoDB and Step Functions call them without a socket (S3 stays on HTTP:
     * S3Proxy has no such entry, and no step of a pipeline waits on it).
     */
    private void serveInProcess() {
        services.values().forEach(service -> {
            if (service instanceof AwsJsonEmulator emulator) {
                InProcessEndpoints.register(emulator.endpoint(), emulator::call);
            }
        });
    }

    private static Path dataDir(Function<String, String> config) {
        return Path.of(setting(config, "app.local.data-dir", ".local-aws"));
    }

    private static void startAll(LocalAws local, java.util.Collection<EmbeddedService> toStart) throws Exception {
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (EmbeddedService service : toStart) {
            starts.add(CompletableFuture.runAsync(() -> {
                try {
                    service.start();
                } catch (Exception e) {
                    throw new IllegalStateException("Embedded " + service.name() + " did not start: " + e.getMessage(), e);
                }
            }));
        }
        try {
            CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
        } catch (RuntimeException e) {
            local.close();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw cause instanceof Exception ex ? ex : e;
        }
    }

    private static int port(Function<String, String> config, String service, int defaultPort) {
        return Integer.parseInt(setting(config, "app.local." + service + ".port", String.valueOf(defaultPort)));
    }

    private static String setting(Function<String, String> config, String key, String defaultValue) {
        String value = config.apply(key);
        return value == null || value.isBlank() ? defaultValue : value.trim();
    }

    @Override
    public Map<String, URI> endpoints() {
        Map<String, URI> endpoints = new LinkedHashMap<>();
        services.forEach((key, service) -> endpoints.put(key, service.endpoint()));
        return endpoints;
    }

    @Override
    public Map<String, Boolean> status() {
        Map<String, Boolean> status = new LinkedHashMap<>();
        services.forEach((key, service) -> status.put(key, service.isRunning()));
        return status;
    }

    @Override
    public void close() {
        List<EmbeddedService> reversed = new ArrayList<>(services.values());
        java.util.Collections.reverse(reversed);
        for (EmbeddedService service : reversed) {
            if (service instanceof AwsJsonEmulator) {
                InProcessEndpoints.unregister(service.endpoint());
            }
            try {
                service.close();
            } catch (RuntimeException e) {
                LOG.warn("Embedded {} did not stop cleanly: {}", service.name(), e.getMessage());
            }
        }
    }
}
