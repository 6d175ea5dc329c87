package io.cqrsworkers.aws;

import java.net.URI;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * AWS-compatible services running inside this JVM (the {@code local} profile). The application sees them only
 * through this interface, so a build without the embedded services (the container image) still compiles and runs.
 */
public interface EmbeddedAws extends AutoCloseable {

    /**
     * Starts the embedded services. A build that carries them registers its implementation in
     * {@code META-INF/services/io.cqrsworkers.aws.EmbeddedAws$Provider}; the image build leaves both out.
     */
    interface Provider {
        /** @param config property lookup; returns null for an unset key */
        EmbeddedAws start(Function<String, String> config) throws Exception;
    }

    /** Starts the one registered implementation, or says plainly that this build has none. */
    static EmbeddedAws start(Function<String, String> config) throws Exception {
        Provider provider = ServiceLoader.load(Provider.class, EmbeddedAws.class.getClassLoader()).findFirst()
                .orElseThrow(() -> new IllegalStateException("This build carries no embedded AWS services "
                        + "(app.local.enabled=true); run with the aws profile (CAMEL_MAIN_PROFILE=aws) or use the full build"));
        return provider.start(config);
    }

    /** Endpoint per service key ({@link AwsClients#SQS}, {@link AwsClients#S3}, ...). */
    Map<String, URI> endpoints();

    /** Running state per service key. */
    Map<String, Boolean> status();

    @Override
    void close();
}
