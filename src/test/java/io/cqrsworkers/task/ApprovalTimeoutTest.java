package io.cqrsworkers.task;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.config.AppConfiguration;
import io.cqrsworkers.testkit.EmbeddedAws;
import io.cqrsworkers.testkit.EmbeddedAwsClient;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

/**
 * The approval example left unanswered: its wait times out into a reported failure. A context of its own, so the
 * short timeout cannot overtake the answers of {@link ApprovalWorkflowTest} on a loaded machine.
 */
@EmbeddedAws(routes = "classpath:test-routes/*.camel.yaml")
@CamelMainTest(configurationClasses = AppConfiguration.class, properties = "app.approval.timeout-seconds=2")
class ApprovalTimeoutTest {

    /** The class's embedded AWS: its ports, data folder and clients. */
    EmbeddedAwsClient kit;

    private final ApprovalApi approvals = new ApprovalApi(() -> kit.serverPort());

    @Test
    void anUnansweredRequestTimesOutIntoAReportedFailure() throws Exception {
        String id = "req-timeout-" + System.nanoTime();
        approvals.post("/workflows/approval?name=" + id, "{\"requestId\":\"" + id + "\"}", 201);

        JsonNode execution = approvals.awaitExecution(id, "FAILED");
        assertThat(execution.path("error").asText()).isEqualTo("Approval.TimedOut");
        assertThat(approvals.get("/approvals/" + id, 200).path("status").asText()).isEqualTo("TIMED_OUT");
        approvals.post("/approvals/" + id + "/approve", "", 409);
    }
}
