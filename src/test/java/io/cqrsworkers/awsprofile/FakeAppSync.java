package io.cqrsworkers.awsprofile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The AppSync GraphQL endpoint the aws profile sends notifications to (the stack creates the API; here a JDK HTTP
 * server): accepts the sendMessage mutation with the right x-api-key and keeps each message.
 */
final class FakeAppSync implements AutoCloseable {

    static final String API_KEY = "da2-e2etestkey";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<JsonNode> messages = new ArrayList<>();
    private final AtomicInteger rejected = new AtomicInteger();

    FakeAppSync() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/graphql", exchange -> {
            byte[] answer;
            int status;
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            if (!API_KEY.equals(exchange.getRequestHeaders().getFirst("x-api-key"))
                    || !request.path("query").asText().contains("sendMessage")) {
                rejected.incrementAndGet();
                status = 401;
                answer = "{\"errors\":[{\"errorType\":\"UnauthorizedException\"}]}".getBytes(StandardCharsets.UTF_8);
            } else {
                JsonNode message = JSON.readTree(request.path("variables").path("message").asText());
                synchronized (messages) {
                    messages.add(message);
                }
                status = 200;
                answer = ("{\"data\":{\"sendMessage\":" + JSON.writeValueAsString(message.toString()) + "}}")
                        .getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/graphql";
    }

    List<JsonNode> messages() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    int rejected() {
        return rejected.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
