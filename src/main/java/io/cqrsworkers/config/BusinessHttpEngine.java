package io.cqrsworkers.config;

import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;

/**
 * The platform-http engine of the REST API, pinned to the business port. With a second (management) server in the
 * context, Vert.x's engine cannot tell which server is the business one and falls back to port 8080, so REST routes
 * fail to start whenever camel.server.port is not 8080 (as in tests on free ports).
 */
final class BusinessHttpEngine extends VertxPlatformHttpEngine {

    private final int port;

    BusinessHttpEngine(int port) {
        this.port = port;
    }

    @Override
    public int getServerPort() {
        return port;
    }
}
