package io.cqrsworkers.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.support.Http;

import java.time.Duration;
import java.util.function.IntSupplier;

/** The approval example's HTTP API as its tests call it: requests, answers and the execution's end. */
final class ApprovalApi {

    static final ObjectMapper JSON = new ObjectMapper();

    /** The service's port, asked at each call: the test kit injects it after the test instance is built. */
    private final IntSupplier serverPort;

    ApprovalApi(IntSupplier serverPort) {
        this.serverPort = serverPort;
    }

    private String api() {
        return "http://127.0.0.1:" + serverPort.getAsInt() + "/api";
    }

    JsonNode post(String path, String body, int expectedStatus) throws Exception {
        return expect(Http.post(api() + path, body), expectedStatus);
    }

    JsonNode get(String path, int expectedStatus) throws Exception {
        return expect(Http.get(api() + path), expectedStatus);
    }

    /** Starts an approval and waits until its request waits for a decision. */
    void request(String requestId) throws Exception {
        JsonNode started = post("/workflows/approval?name=" + requestId,
                "{\"requestId\":\"" + requestId + "\",\"subject\":\"buy a laptop\"}", 201);
        assertThat(started.path("executionArn").asText()).endsWith(":" + requestId);
        JsonNode pending = awaitRequest(requestId);
        assertThat(pending.path("status").asText()).isEqualTo("PENDING");
        assertThat(pending.path("request").path("subject").asText()).isEqualTo("buy a laptop");
        assertThat(pending.has("taskToken")).isFalse();
    }

    /** The request once its waiting step has stored it. */
    JsonNode awaitRequest(String requestId) throws Exception {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> Http.get(api() + "/approvals/" + requestId).status() == 200);
        return get("/approvals/" + requestId, 200);
    }

    JsonNode awaitExecution(String requestId, String status) {
        return await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200))
                .until(() -> get("/workflows/approval/" + requestId, 200),
                        e -> status.equals(e.path("status").asText()));
    }

    private static JsonNode expect(Http.Response response, int expectedStatus) throws Exception {
        assertThat(response.status()).as(response.body()).isEqualTo(expectedStatus);
        return JSON.readTree(response.body());
    }
}
