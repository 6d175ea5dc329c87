package io.cqrsworkers.notification;

import com.fasterxml.jackson.databind.JsonNode;

/** Where the notification queue's messages go (bean {@value #BEAN}): local subscribers, or AppSync. */
public interface NotificationTransport {

    String BEAN = "notificationTransport";

    /** Delivers one notification; an exception leaves it in its queue (retried, then its DLQ). */
    void publish(JsonNode message) throws Exception;
}
