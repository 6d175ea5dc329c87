package io.cqrsworkers.notification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.json.Jackson;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Delivery in AWS: the original's AppSync GraphQL mutation {@code sendMessage(message: AWSJSON)}, authenticated by
 * API key. A failed call throws, so the message stays in its queue, is retried and ends in the DLQ.
 */
public final class AppSyncPublisher implements NotificationTransport {

    private static final ObjectMapper JSON = Jackson.MAPPER;
    private static final String MUTATION =
            "mutation SendMessage($message: AWSJSON!) { sendMessage(message: $message) { id } }";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI endpoint;
    private final String apiKey;

    public AppSyncPublisher(String endpoint, String apiKey) {
        if (endpoint == null || endpoint.isBlank() || apiKey == null || apiKey.isBlank()) {
            throw new IllegalStateException("app.notifications.appsync.url and .api-key are required for the appsync "
                    + "transport");
        }
        this.endpoint = URI.create(endpoint);
        this.apiKey = apiKey;
    }

    @Override
    public void publish(JsonNode message) throws IOException, InterruptedException {
        ObjectNode request = JSON.createObjectNode().put("query", MUTATION);
        request.putObject("variables").put("message", message.toString());
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(10))
                .header("content-type", "application/json")
                .header("x-api-key", apiKey)
                .POST(HttpRequest.BodyPublishers.ofString(request.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = response.body() == null || response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
        if (response.statusCode() / 100 != 2 || body.path("errors").size() > 0) {
            throw new IOException("AppSync sendMessage failed (HTTP " + response.statusCode() + "): " + response.body());
        }
    }
}
