package io.cqrsworkers.notification;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;

/**
 * The notification transport (bean {@value NotificationTransport#BEAN}), chosen by
 * {@code app.notifications.transport}: {@code local} delivers to the Server-Sent-Events subscribers,
 * {@code appsync} calls the AppSync {@code sendMessage} mutation.
 */
public class NotificationConfiguration implements CamelConfiguration {

    /** Lazy: built when the notification route starts, so a service without it needs no AppSync settings. */
    @BindToRegistry(value = NotificationTransport.BEAN, lazy = true)
    public NotificationTransport notificationTransport(
            @PropertyInject(value = "app.notifications.transport", defaultValue = "local") String transport,
            CamelContext context) {
        return switch (transport.trim()) {
            case "local" -> new NotificationHub();
            case "appsync" -> new AppSyncPublisher(
                    context.resolvePropertyPlaceholders("{{app.notifications.appsync.url:}}"),
                    context.resolvePropertyPlaceholders("{{app.notifications.appsync.api-key:}}"));
            default -> throw new IllegalStateException("app.notifications.transport must be local or appsync, not '"
                    + transport + "'");
        };
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        if ("local".equals(context.resolvePropertyPlaceholders("{{app.notifications.transport:local}}").trim())) {
            context.addStartupListener(new ServerSentEvents());
        }
    }
}
