package io.cqrsworkers.localaws.emulator;

import java.net.URI;

/**
 * One AWS-compatible service started inside this JVM for the {@code local} profile.
 * Implementations speak the real wire protocol on 127.0.0.1, so the SDK clients, the AWS CLI
 * and Camel's aws2 components talk to them exactly as they would to AWS.
 */
public interface EmbeddedService extends AutoCloseable {

    /** Short name shown at start-up and in health checks, e.g. "sqs". */
    String name();

    /** Starts the service; returns once it accepts requests. */
    void start() throws Exception;

    /** Base endpoint to give an SDK client as endpointOverride, e.g. http://127.0.0.1:9324. */
    URI endpoint();

    /** True while the service accepts requests. */
    boolean isRunning();

    @Override
    void close();
}
