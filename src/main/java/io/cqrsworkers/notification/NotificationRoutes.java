package io.cqrsworkers.notification;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpServerResponse;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Delivers the notification queue: locally ({@code app.notifications.transport=local}) to subscribers of the
 * Server-Sent-Events endpoint {@code GET /api/notifications?tenantCode=..[&action=..][&id=..]}; in AWS
 * ({@code appsync}) to the AppSync {@code sendMessage} mutation. A failed delivery is retried by SQS, then the
 * message moves to the queue's DLQ.
 */
public class NotificationRoutes extends RouteBuilder {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void configure() throws Exception {
        String transport = getContext().resolvePropertyPlaceholders("{{app.notifications.transport:local}}");
        NotificationHub hub = new NotificationHub();
        getContext().getRegistry().bind("notificationHub", hub);

        var route = from("aws2-sqs:{{queue:notification-queue}}?{{app.sqs.consumer-options}}"
                + "&concurrentConsumers={{app.notifications.pollers:2}}")
                .routeId("notifications")
                .convertBodyTo(String.class);
        if ("appsync".equals(transport)) {
            AppSyncPublisher appSync = new AppSyncPublisher(
                    getContext().resolvePropertyPlaceholders("{{app.notifications.appsync.url:}}"),
                    getContext().resolvePropertyPlaceholders("{{app.notifications.appsync.api-key:}}"));
            route.process(e -> appSync.publish(JSON.readTree(e.getMessage().getBody(String.class))));
        } else {
            route.process(e -> hub.publish(JSON.readTree(e.getMessage().getBody(String.class))));
            getContext().addStartupListener(new ServerSentEvents(hub));
        }
    }

    /** Registers the SSE endpoint on the business HTTP server once it runs. */
    private record ServerSentEvents(NotificationHub hub) implements ExtendedStartupListener {

        @Override
        public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        }

        @Override
        public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
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
}
