package io.cqrsworkers.task;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.config.AppConfiguration;
import io.cqrsworkers.testkit.EmbeddedAws;
import io.cqrsworkers.testkit.EmbeddedAwsClient;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * The approval example, a user-defined workflow (infra/statemachines/approval.asl.json with YAML worker routes),
 * started, approved and rejected through the API, on the embedded Step Functions (its timeout: {@link
 * ApprovalTimeoutTest}). The approval waits the default day, so no answer here can come too late.
 */
@EmbeddedAws(routes = "classpath:test-routes/*.camel.yaml")
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApprovalWorkflowTest {

    /** The class's embedded AWS: its ports, data folder and clients. */
    EmbeddedAwsClient kit;

    @BeanInject
    CamelContext context;

    private final ApprovalApi approvals = new ApprovalApi(() -> kit.serverPort());

    @Test
    void anApprovedRequestGoesOn() throws Exception {
        String id = "req-approve-" + System.nanoTime();
        approvals.request(id);
        approvals.post("/approvals/" + id + "/approve", "{\"comment\":\"ok\"}", 200);

        JsonNode execution = approvals.awaitExecution(id, "SUCCEEDED");
        assertThat(execution.path("output").path("status").asText()).isEqualTo("APPROVED");
        assertThat(execution.path("output").path("approved").asBoolean()).isTrue();
        JsonNode decided = approvals.get("/approvals/" + id, 200);
        assertThat(decided.path("status").asText()).isEqualTo("APPROVED");
        assertThat(decided.path("decision").path("comment").asText()).isEqualTo("ok");
        // answered once: a second decision is refused
        approvals.post("/approvals/" + id + "/reject", "", 409);
    }

    @Test
    void aRejectedRequestTakesTheRejectionBranch() throws Exception {
        String id = "req-reject-" + System.nanoTime();
        approvals.request(id);
        approvals.post("/approvals/" + id + "/reject", "{\"comment\":\"too expensive\"}", 200);

        JsonNode execution = approvals.awaitExecution(id, "SUCCEEDED");
        assertThat(execution.path("output").path("status").asText()).isEqualTo("REJECTED");
        assertThat(execution.path("output").path("approved").asBoolean()).isFalse();
        JsonNode decided = approvals.get("/approvals/" + id, 200);
        assertThat(decided.path("decision").path("Error").asText()).isEqualTo("Approval.Rejected");
        assertThat(decided.path("decision").path("Cause").asText()).isEqualTo("too expensive");
    }

    @Test
    void aRouteStartsAWorkflow() throws Exception {
        String id = "req-route-" + System.nanoTime();
        String reply = context.createProducerTemplate().requestBodyAndHeaders(TaskApiRoutes.START,
                "{\"requestId\":\"" + id + "\"}", java.util.Map.of("WorkflowMachine", "approval",
                        "WorkflowExecutionName", id), String.class);
        assertThat(ApprovalApi.JSON.readTree(reply).path("name").asText()).isEqualTo(id);
        approvals.awaitRequest(id);
        approvals.post("/approvals/" + id + "/approve", "", 200);
        approvals.awaitExecution(id, "SUCCEEDED");
    }

    @Test
    void unknownRequestsAndMachinesAreNotFound() throws Exception {
        approvals.post("/approvals/nobody/approve", "", 404);
        approvals.post("/workflows/no-such-machine", "{}", 404);
    }
}
