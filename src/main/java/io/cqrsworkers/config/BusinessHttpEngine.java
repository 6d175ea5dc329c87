package io.cqrsworkers.config;

import io.cqrsworkers.security.ApiGuard;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * The platform-http engine bound to the business port. Camel's own engine finds its port only when one Vert.x
 * server runs; with the management server on a port of its own it falls back to 8080, whatever camel.server.port
 * says.
 * <p>
 * With security on it also puts the {@link ApiGuard} on the business router before the first route is mounted
 * there (or, at the latest, when the context has started), so no business endpoint is ever reachable without it.
 * The guard reads request bodies (to see the tenant they name) before any route does; the platform-http consumers
 * then mount their routes through {@link #GUARDED_ROUTER}, the same router whose body handler lets a body already
 * read pass (the server's own handler resumes the request, which an HTTP/2 request that has ended refuses).
 */
final class BusinessHttpEngine extends VertxPlatformHttpEngine {

    /** The name platform-http looks the engine up by. */
    static final String NAME = "platform-http-engine";
    /** The registry name of the business router as seen by platform-http consumers with security on. */
    static final String GUARDED_ROUTER = "platform-http-router-guarded";

    private final CamelContext context;
    private final int port;
    private final ApiGuard guard;
    private boolean guardInstalled;

    BusinessHttpEngine(CamelContext context, int port, ApiGuard guard) {
        this.context = context;
        this.port = port;
        this.guard = guard;
    }

    @Override
    public int getServerPort() {
        return port;
    }

    @Override
    public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
        if (guard == null) {
            return super.createConsumer(endpoint, processor);
        }
        installGuard();
        return new VertxPlatformHttpConsumer(endpoint, processor, getHandlers(), GUARDED_ROUTER);
    }

    /** Idempotent; fails (and so fails the start) when the business router cannot be found. */
    synchronized void installGuard() {
        if (guard == null || guardInstalled) {
            return;
        }
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router == null) {
            router = VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.PLATFORM_HTTP_ROUTER_NAME_ZERO);
        }
        if (router == null) {
            throw new IllegalStateException("app.security.enabled=true but the business HTTP router (port " + port
                    + ") was not found: the API cannot be protected");
        }
        guard.install(router, router.bodyHandler());
        Handler<RoutingContext> bodyHandler = router.bodyHandler();
        context.getRegistry().bind(GUARDED_ROUTER, new VertxPlatformHttpRouter(router.getServer(), router.vertx(),
                router, GUARDED_ROUTER) {
            @Override
            public Handler<RoutingContext> bodyHandler() {
                return ctx -> {
                    if (ApiGuard.bodyRead(ctx)) {
                        ctx.next();
                    } else {
                        bodyHandler.handle(ctx);
                    }
                };
            }
        });
        guardInstalled = true;
    }
}
