package io.cqrsworkers.notification;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Local delivery of notifications to subscribers (the Server-Sent-Events endpoint), filtered like the original's
 * AppSync subscription {@code onMessage(tenantCode, action?, id?)}.
 */
public final class NotificationHub implements NotificationTransport {

    /** A subscription: tenant required, action and id optional (null = any). */
    public record Subscription(String tenantCode, String action, String id, Consumer<String> sink) {
        boolean accepts(JsonNode message) {
            return tenantCode.equals(message.path("tenantCode").asText())
                    && (action == null || action.equals(message.path("action").asText()))
                    && (id == null || id.equals(message.path("id").asText()));
        }
    }

    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();

    public Subscription subscribe(String tenantCode, String action, String id, Consumer<String> sink) {
        Subscription subscription = new Subscription(tenantCode, action, id, sink);
        subscriptions.add(subscription);
        return subscription;
    }

    public void unsubscribe(Subscription subscription) {
        subscriptions.remove(subscription);
    }

    /** Sends the message to every matching subscriber. */
    @Override
    public void publish(JsonNode message) {
        String text = message.toString();
        for (Subscription subscription : subscriptions) {
            if (subscription.accepts(message)) {
                subscription.sink().accept(text);
            }
        }
    }
}
