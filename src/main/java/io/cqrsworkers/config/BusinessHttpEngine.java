package io.cqrsworkers.config;

import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;

/**
 * The platform-http engine bound to the business port. Camel's own engine finds its port only when one Vert.x
 * server runs; with the management server on a port of its own it falls back to 8080, whatever camel.server.port
 * says.
 */
final class BusinessHttpEngine extends VertxPlatformHttpEngine {

    /** The name platform-http looks the engine up by. */
    static final String NAME = "platform-http-engine";

    private final int port;

    BusinessHttpEngine(int port) {
        this.port = port;
    }

    @Override
    public int getServerPort() {
        return port;
    }
}
