package io.cqrsworkers.notification;

import io.vertx.core.http.HttpServerResponse;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * {@code GET /api/notifications?tenantCode=..[&action=..][&id=..]}: the hub's notifications as Server-Sent Events.
 * A long-lived stream is no request/reply exchange, so it is a handler on the business HTTP server's router,
 * registered once the server runs.
 */
final class ServerSentEvents implements ExtendedStartupListener {

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        // by the bound type: a lazy bean is matched on the type its method declares, not the object it returns
        if (!(context.getRegistry().lookupByNameAndType(NotificationTransport.BEAN, NotificationTransport.class)
                instanceof NotificationHub hub)) {
            throw new IllegalStateException("Server-Sent Events need the local notification transport");
        }
        int port = Integer.parseInt(context.resolvePropertyPlaceholders("{{camel.server.port}}"));
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(port));
        router.get("/api/notifications").order(-1).handler(ctx -> {
            String tenant = ctx.request().getParam("tenantCode");
            HttpServerResponse response = ctx.response();
            if (tenant == null || tenant.isBlank()) {
                response.setStatusCode(400).putHeader("content-type", "application/json")
                        .end("{\"error\":\"BadRequest\",\"message\":\"tenantCode is required\"}");
                return;
            }
            response.setChunked(true)
                    .putHeader("content-type", "text/event-stream")
                    .putHeader("cache-control", "no-cache");
            response.write(": subscribed to " + tenant + "\n\n");
            NotificationHub.Subscription subscription = hub.subscribe(tenant, ctx.request().getParam("action"),
                    ctx.request().getParam("id"), message -> response.write("data: " + message + "\n\n"));
            ctx.request().connection().closeHandler(closed -> hub.unsubscribe(subscription));
            response.closeHandler(closed -> hub.unsubscribe(subscription));
        });
    }
}
