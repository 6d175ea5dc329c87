package io.cqrsworkers.task;

import com.fasterxml.jackson.core.JsonProcessingException;
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
        onException(TaskException.class, JsonProcessingException.class).handled(true)
                .bean(TaskApi.BEAN, "refused");

        restConfiguration().component("platform-http").bindingMode(RestBindingMode.off);
        rest("/api/approvals")
                .post("/{requestId}/approve").to("direct:approval-approve")
                .post("/{requestId}/reject").to("direct:approval-reject")
                .get("/{requestId}").to("direct:approval-get");

        // the decision answers the request's waiting step (SendTaskSuccess / SendTaskFailure with its task token)
        from("direct:approval-approve").routeId("api-approval-approve")
                .bean(TaskApi.BEAN, "jsonOrEmpty")
                .bean(Approvals.BEAN, "decide(${header.requestId}, true, ${body})")
                .bean(TaskApi.BEAN, "ok");
        from("direct:approval-reject").routeId("api-approval-reject")
                .bean(TaskApi.BEAN, "jsonOrEmpty")
                .bean(Approvals.BEAN, "decide(${header.requestId}, false, ${body})")
                .bean(TaskApi.BEAN, "ok");
        from("direct:approval-get").routeId("api-approval-get")
                .bean(Approvals.BEAN, "view(${header.requestId})")
                .bean(TaskApi.BEAN, "ok");
    }
}
