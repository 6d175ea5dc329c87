package io.cqrsworkers.task;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.callback.TaskCallbacks;
import io.cqrsworkers.api.JsonResponses;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;

/**
 * The approval example's API (its worker steps are YAML routes, routes/approval.camel.yaml):
 * <pre>
 * POST /api/approvals/{requestId}/approve   {"comment"?}   200 | 404 unknown | 409 not waiting
 * POST /api/approvals/{requestId}/reject    {"comment"?}   200 | 404 | 409
 * GET  /api/approvals/{requestId}           the request: status PENDING, APPROVED, REJECTED or TIMED_OUT
 * </pre>
 * Start one with {@code POST /api/workflows/approval?name=<requestId>} and body {"requestId",...}.
 */
public class ApprovalRoutes extends RouteBuilder {

    @Override
    public void configure() {
        TaskModule module = TaskModule.of(getContext());
        Approvals approvals = new Approvals(module.service(),
                getContext().getRegistry().lookupByNameAndType("taskCallbacks", TaskCallbacks.class));
        getContext().getRegistry().bind(Approvals.BEAN, approvals);

        onException(TaskException.class).handled(true).process(e -> {
            TaskException failure = e.getProperty(Exchange.EXCEPTION_CAUGHT, TaskException.class);
            JsonResponses.error(e, failure.status(), failure.getMessage());
        });

        restConfiguration().component("platform-http").bindingMode(RestBindingMode.off);
        rest("/api/approvals")
                .post("/{requestId}/approve").to("direct:approval-approve")
                .post("/{requestId}/reject").to("direct:approval-reject")
                .get("/{requestId}").to("direct:approval-get");

        from("direct:approval-approve").routeId("api-approval-approve")
                .process(e -> JsonResponses.reply(e, 200, approvals.decide(requestId(e), true, body(e))));
        from("direct:approval-reject").routeId("api-approval-reject")
                .process(e -> JsonResponses.reply(e, 200, approvals.decide(requestId(e), false, body(e))));
        from("direct:approval-get").routeId("api-approval-get").process(e -> {
            ObjectNode row = approvals.get(requestId(e));
            row.remove("taskToken");
            JsonResponses.reply(e, 200, row);
        });
    }

    private static String requestId(Exchange e) {
        return e.getMessage().getHeader("requestId", String.class);
    }

    private static com.fasterxml.jackson.databind.JsonNode body(Exchange e) throws Exception {
        String text = e.getMessage().getBody(String.class);
        return text == null || text.isBlank() ? new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                : TaskApiRoutes.body(e);
    }
}
