package io.cqrsworkers.aws;

import java.net.URI;
import java.util.Map;

/**
 * AWS-compatible services running inside this JVM (the {@code local} profile). The application sees them only
 * through this interface, so a build without the embedded services (the container image) still compiles and runs.
 */
public interface EmbeddedAws extends AutoCloseable {

    /** The class that implements this in builds that carry the embedded services. */
    String IMPLEMENTATION = "io.cqrsworkers.localaws.LocalAws";

    /** Endpoint per service key ({@link AwsClients#SQS}, {@link AwsClients#S3}, ...). */
    Map<String, URI> endpoints();

    /** Running state per service key. */
    Map<String, Boolean> status();

    @Override
    void close();
}
