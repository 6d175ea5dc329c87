package io.cqrsworkers.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.config.AppConfiguration;
import io.cqrsworkers.support.Http;
import io.cqrsworkers.testkit.EmbeddedAws;
import io.cqrsworkers.testkit.EmbeddedAwsClient;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The approval example, a user-defined workflow (infra/statemachines/approval.asl.json with YAML worker routes),
 * started, approved, rejected and left to time out through the API, on the embedded Step Functions.
 */
@EmbeddedAws(routes = "classpath:test-routes/*.camel.yaml")
@CamelMainTest(configurationClasses = AppConfiguration.class, properties = "app.approval.timeout-seconds=4")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApprovalWorkflowTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The class's embedded AWS: its ports, data folder and clients. */
    EmbeddedAwsClient kit;

    @BeanInject
    CamelContext context;

    private String api() {
        return "http://127.0.0.1:" + kit.serverPort() + "/api";
    }

    private JsonNode call(Http.Response response, int expectedStatus) throws Exception {
        assertThat(response.status()).as(response.body()).isEqualTo(expectedStatus);
        return JSON.readTree(response.body());
    }

    /** Starts an approval and waits until its request waits for a decision. */
    private void request(String requestId) throws Exception {
        JsonNode started = call(Http.post(api() + "/workflows/approval?name=" + requestId,
                "{\"requestId\":\"" + requestId + "\",\"subject\":\"buy a laptop\"}"), 201);
        assertThat(started.path("executionArn").asText()).endsWith(":" + requestId);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> Http.get(api() + "/approvals/" + requestId).status() == 200);
        JsonNode pending = call(Http.get(api() + "/approvals/" + requestId), 200);
        assertThat(pending.path("status").asText()).isEqualTo("PENDING");
        assertThat(pending.path("request").path("subject").asText()).isEqualTo("buy a laptop");
        assertThat(pending.has("taskToken")).isFalse();
    }

    private JsonNode awaitExecution(String requestId, String status) {
        return await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> call(Http.get(api() + "/workflows/approval/" + requestId), 200),
                        e -> status.equals(e.path("status").asText()));
    }

    @Test
    void anApprovedRequestGoesOn() throws Exception {
        String id = "req-approve-" + System.nanoTime();
        request(id);
        call(Http.post(api() + "/approvals/" + id + "/approve", "{\"comment\":\"ok\"}"), 200);

        JsonNode execution = awaitExecution(id, "SUCCEEDED");
        assertThat(execution.path("output").path("status").asText()).isEqualTo("APPROVED");
        assertThat(execution.path("output").path("approved").asBoolean()).isTrue();
        JsonNode decided = call(Http.get(api() + "/approvals/" + id), 200);
        assertThat(decided.path("status").asText()).isEqualTo("APPROVED");
        assertThat(decided.path("decision").path("comment").asText()).isEqualTo("ok");
        // answered once: a second decision is refused
        call(Http.post(api() + "/approvals/" + id + "/reject", ""), 409);
    }

    @Test
    void aRejectedRequestTakesTheRejectionBranch() throws Exception {
        String id = "req-reject-" + System.nanoTime();
        request(id);
        call(Http.post(api() + "/approvals/" + id + "/reject", "{\"comment\":\"too expensive\"}"), 200);

        JsonNode execution = awaitExecution(id, "SUCCEEDED");
        assertThat(execution.path("output").path("status").asText()).isEqualTo("REJECTED");
        assertThat(execution.path("output").path("approved").asBoolean()).isFalse();
        JsonNode decided = call(Http.get(api() + "/approvals/" + id), 200);
        assertThat(decided.path("decision").path("Error").asText()).isEqualTo("Approval.Rejected");
        assertThat(decided.path("decision").path("Cause").asText()).isEqualTo("too expensive");
    }

    @Test
    void anUnansweredRequestTimesOutIntoAReportedFailure() throws Exception {
        String id = "req-timeout-" + System.nanoTime();
        request(id);

        JsonNode execution = awaitExecution(id, "FAILED");
        assertThat(execution.path("error").asText()).isEqualTo("Approval.TimedOut");
        assertThat(call(Http.get(api() + "/approvals/" + id), 200).path("status").asText()).isEqualTo("TIMED_OUT");
        call(Http.post(api() + "/approvals/" + id + "/approve", ""), 409);
    }

    @Test
    void aRouteStartsAWorkflow() throws Exception {
        String id = "req-route-" + System.nanoTime();
        String reply = context.createProducerTemplate().requestBodyAndHeaders(TaskApiRoutes.START,
                "{\"requestId\":\"" + id + "\"}", java.util.Map.of("WorkflowMachine", "approval",
                        "WorkflowExecutionName", id), String.class);
        assertThat(JSON.readTree(reply).path("name").asText()).isEqualTo(id);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> Http.get(api() + "/approvals/" + id).status() == 200);
        call(Http.post(api() + "/approvals/" + id + "/approve", ""), 200);
        awaitExecution(id, "SUCCEEDED");
    }

    @Test
    void unknownRequestsAndMachinesAreNotFound() throws Exception {
        call(Http.post(api() + "/approvals/nobody/approve", ""), 404);
        call(Http.post(api() + "/workflows/no-such-machine", "{}"), 404);
    }
}
