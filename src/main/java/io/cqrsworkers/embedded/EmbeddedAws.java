package io.cqrsworkers.embedded;

import java.net.URI;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * AWS-compatible services running inside this JVM (the {@code local} profile). The seam between the service and the
 * embedded AWS library ({@code io.cqrsworkers.localaws}): the service sees that library only through this interface,
 * found with {@link ServiceLoader}, so a build without it (the container image) still compiles and runs; the library
 * knows nothing of the service but this package. It uses nothing but the JDK.
 */
public interface EmbeddedAws extends AutoCloseable {

    /** Service keys of {@link #endpoints()} and {@link #status()}, the same as the service's clients use. */
    String SQS = "sqs";
    String S3 = "s3";
    String DYNAMODB = "dynamodb";
    String STEP_FUNCTIONS = "stepfunctions";

    /**
     * Starts the embedded services. A build that carries them registers its implementation in
     * {@code META-INF/services/io.cqrsworkers.embedded.EmbeddedAws$Provider}; the image build leaves both out.
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

    /** Endpoint per service key ({@link #SQS}, {@link #S3}, ...). */
    Map<String, URI> endpoints();

    /** Running state per service key. */
    Map<String, Boolean> status();

    @Override
    void close();
}
