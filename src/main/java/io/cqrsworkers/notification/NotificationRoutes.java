package io.cqrsworkers.notification;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.builder.RouteBuilder;

/**
 * Delivers the notification queue through the transport bean (see {@link NotificationConfiguration}). A failed
 * delivery, or a message that is not JSON, leaves the message in the queue: SQS delivers it again, then moves it
 * to the queue's DLQ.
 */
public class NotificationRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("aws2-sqs:{{queue:notification-queue}}?{{app.sqs.consumer-options}}"
                + "&concurrentConsumers={{app.notifications.pollers:2}}")
                .routeId("notifications")
                .unmarshal().json(JsonNode.class)
                .bean(NotificationTransport.BEAN, "publish");
    }
}
