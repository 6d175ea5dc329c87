package io.cqrsworkers.config;

import io.cqrsworkers.aws.AwsClients;
import io.cqrsworkers.aws.SdkCallRecorder;
import io.cqrsworkers.embedded.EmbeddedAws;
import io.cqrsworkers.callback.TaskCallbacks;
import io.cqrsworkers.health.EmbeddedAwsHealthCheck;
import io.cqrsworkers.json.Jackson;
import io.cqrsworkers.health.StartupReadiness;
import io.cqrsworkers.resources.Provisioner;
import io.cqrsworkers.resources.ResourceCheck;
import io.cqrsworkers.resources.ResourceDescription;
import io.cqrsworkers.resources.ResourceNames;
import io.cqrsworkers.security.ApiGuard;
import io.cqrsworkers.security.Caller;
import io.cqrsworkers.security.JwksKeys;
import io.cqrsworkers.security.JwtVerifier;
import io.cqrsworkers.security.SecuritySettings;
import io.cqrsworkers.security.TenantAccess;
import io.cqrsworkers.stream.DdbStreamComponent;
import io.cqrsworkers.workflow.StateMachines;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.regions.Region;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Wires the service: resource-name functions for routes, the embedded AWS services (local profile), the SDK clients
 * that Camel's aws2 components pick up from the registry, the task-callback bean, and the start-up summary.
 */
public class AppConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(AppConfiguration.class);
    private static final List<String> SERVICES =
            List.of(AwsClients.SQS, AwsClients.S3, AwsClients.DYNAMODB, AwsClients.STEP_FUNCTIONS);

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent properties = context.getPropertiesComponent();
        Function<String, String> config = key -> properties.resolveProperty(key).orElse(null);
        // first: a service that cannot protect its API must not start at all
        SecuritySettings security = SecuritySettings.from(
                key -> context.resolvePropertyPlaceholders("{{" + key + ":}}"));
        context.getRegistry().bind(Caller.SETTINGS_BEAN, security);

        String prefix = config.apply("app.prefix");
        if (prefix == null) {
            throw new IllegalStateException("app.prefix (the environment prefix of every resource name) is not set");
        }
        for (String kind : List.of("queue", "table", "bucket")) {
            properties.addPropertiesFunction(new ResourceNames(kind, prefix));
        }

        Map<String, URI> endpoints = new LinkedHashMap<>();
        for (String service : SERVICES) {
            String override = config.apply("aws.endpoint." + service);
            if (override != null && !override.isBlank()) {
                endpoints.put(service, URI.create(override.trim()));
            }
        }

        // every call of this context's clients recorded to a file (the least-privilege test), or none
        SdkCallRecorder.recordTo(config.apply(SdkCallRecorder.PROPERTY));

        EmbeddedAws embedded = null;
        long started = System.nanoTime();
        if (Boolean.parseBoolean(config.apply("app.local.enabled"))) {
            embedded = EmbeddedAws.start(config);
            LOG.info("Embedded AWS services up in {} ms", (System.nanoTime() - started) / 1_000_000);
            endpoints.putAll(embedded.endpoints());
            HealthCheckRegistry.get(context).register(new EmbeddedAwsHealthCheck(embedded));
        }

        String region = config.apply("aws.region");
        AwsClients clients = new AwsClients(region == null || region.isBlank() ? null : Region.of(region.trim()),
                embedded != null ? AwsClients.localCredentials() : null, endpoints,
                Integer.parseInt(config.apply("app.sqs.batch-senders")), s3PathStyle(config));
        context.getRegistry().bind(Jackson.BEAN, Jackson.MAPPER);
        context.getRegistry().bind("awsClients", clients);
        context.getRegistry().bind("sqsClient", clients.sqs());
        context.getRegistry().bind("s3Client", clients.s3());
        context.getRegistry().bind("dynamoDbClient", clients.dynamoDb());
        context.getRegistry().bind("dynamoDbStreamsClient", clients.dynamoDbStreams());
        context.getRegistry().bind("sfnClient", clients.sfn());
        context.getRegistry().bind(StateMachines.BEAN, new StateMachines(clients.sfn(), prefix));
        context.getRegistry().bind("taskCallbacks", new TaskCallbacks(clients.sfn()));
        BusinessHttpEngine engine = new BusinessHttpEngine(context,
                Integer.parseInt(config.apply("camel.server.port")), apiGuard(security, config));
        context.getRegistry().bind(BusinessHttpEngine.NAME, engine);
        configureStreamComponent(context, clients, embedded != null,
                embedded == null && Boolean.parseBoolean(config.apply("app.resources.check")));

        started = System.nanoTime();
        if (embedded != null) {
            ResourceDescription resources = ResourceDescription.load();
            Provisioner provisioner = new Provisioner(clients, prefix, config);
            provisioner.provision(resources);
            provisioner.provisionTablesAndStateMachines(resources);
            LOG.info("Resources of {} created in {} ms", ResourceDescription.LOCATION, (System.nanoTime() - started) / 1_000_000);
        } else if (Boolean.parseBoolean(config.apply("app.resources.check"))) {
            // the aws profile creates nothing: a resource the deployment lacks stops the start here
            new ResourceCheck(clients, prefix).verify(ResourceDescription.load());
            LOG.info("Resources of {} found in {} ms", ResourceDescription.LOCATION, (System.nanoTime() - started) / 1_000_000);
        }

        EmbeddedAws local = embedded;
        // stopped after the routes have drained, so in-flight exchanges can still reach AWS
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                SdkCallRecorder.recordTo(null);
                clients.close();
                if (local != null) {
                    local.close();
                }
            }
        }, true, true);
        context.addStartupListener(new Summary(config, clients, local, security));
        if (security.enabled()) {
            // also when no route uses platform-http: the guard is on the router before the context counts as started
            context.addStartupListener((CamelContext c, boolean alreadyStarted) -> engine.installGuard());
        }
        StartupReadiness.install(context);
    }

    /** {@code aws.s3.path-style}: unset = only with an {@code aws.endpoint.s3} override. */
    private static Boolean s3PathStyle(Function<String, String> config) {
        String value = config.apply("aws.s3.path-style");
        return value == null || value.isBlank() ? null : Boolean.valueOf(value.trim());
    }

    private static ApiGuard apiGuard(SecuritySettings security, Function<String, String> config) {
        if (!security.enabled()) {
            if (Profiles.AWS.equals(config.apply("camel.main.profile"))) {
                LOG.warn("app.security.enabled=false in the aws profile: the business API on port {} accepts any "
                        + "caller; only do this behind something that checks them", config.apply("camel.server.port"));
            }
            return null;
        }
        LOG.info("Business API: bearer tokens of {} (keys {}, audience {}), tenant claim {}, user claim {}",
                security.issuer(), security.jwksUrl(), security.audiences(), security.tenantClaim(),
                security.userClaims());
        JwksKeys keys = new JwksKeys(security.jwksUrl(), security.jwksMaxAge(), security.jwksMinRefresh(),
                Clock.systemUTC());
        return new ApiGuard(new JwtVerifier(security, keys, Clock.systemUTC()), new TenantAccess(security));
    }

    /** ddb-stream builds its own KCL clients: give it the same region, endpoints and (local) credentials. */
    private static void configureStreamComponent(CamelContext context, AwsClients clients, boolean local,
                                                 boolean requireLeaseTables) {
        DdbStreamComponent streams = context.getComponent("ddb-stream", DdbStreamComponent.class);
        streams.setRegion(clients.region().id());
        URI dynamoDb = clients.endpoints().get(AwsClients.DYNAMODB);
        if (dynamoDb != null) {
            streams.setOverrideEndpoint(true);
            streams.setUriEndpointOverride(dynamoDb.toString());
        }
        URI sqs = clients.endpoints().get(AwsClients.SQS);
        if (sqs != null) {
            streams.setSqsUriEndpointOverride(sqs.toString());
        }
        // KCL creates a missing lease table; in the aws profile the deployment creates them, and a missing one must
        // stop the start instead (the task role has no dynamodb:CreateTable)
        streams.setRequireLeaseTable(requireLeaseTables);
        if (local) {
            streams.setAccessKey("local");
            streams.setSecretKey("local");
        }
    }

    /** Prints, once, how long the start took and where everything listens. */
    private static final class Summary implements ExtendedStartupListener {
        private final Function<String, String> config;
        private final AwsClients clients;
        private final EmbeddedAws embedded;
        private final SecuritySettings security;

        Summary(Function<String, String> config, AwsClients clients, EmbeddedAws embedded, SecuritySettings security) {
            this.config = config;
            this.clients = clients;
            this.embedded = embedded;
            this.security = security;
        }

        @Override
        public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        }

        @Override
        public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
            long millis = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
            StringBuilder text = new StringBuilder();
            text.append(String.format("%s started in %.1f s (profile %s, region %s, prefix %s)%n",
                    context.getName(), millis / 1000.0, config.apply("camel.main.profile"), clients.region(),
                    config.apply("app.prefix")));
            text.append(String.format("  business HTTP   http://%s:%s (%s)%n",
                    config.apply("camel.server.host"), config.apply("camel.server.port"), security.enabled()
                            ? "bearer tokens of " + security.issuer() : "no authentication"));
            text.append(String.format("  management      http://%s:%s/observe/health%n",
                    config.apply("camel.management.host"), config.apply("camel.management.port")));
            if (embedded != null) {
                text.append("  embedded AWS (any credentials, region ").append(clients.region()).append("):\n");
                embedded.endpoints().forEach((service, uri) ->
                        text.append(String.format("    %-14s %s%n", service, uri)));
                text.append("  e.g. aws --endpoint-url ").append(embedded.endpoints().get(AwsClients.SQS))
                        .append(" sqs list-queues");
            } else if (!clients.endpoints().isEmpty()) {
                text.append("  endpoint overrides: ").append(clients.endpoints());
            }
            LOG.info("{}", text.toString().stripTrailing());
        }
    }
}
