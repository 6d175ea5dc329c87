package io.cqrsworkers.task;

import io.cqrsworkers.workflow.Workflows;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.cqrsworkers.workflow.WorkflowException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;

/**
 * The task and workflow API on the business port:
 * <pre>
 * POST /api/tasks                    {"taskType","tenantCode","name"?,"input"}     201 the task (CREATED)
 * POST /api/tasks/step-function      {"taskType","tenantCode","name"?,"input":[]}  201
 * GET  /api/tasks?pk=&amp;sk=            the task; a step-function task with subTaskRows and its counters
 * POST /api/workflows/{machine}?name= body = execution input                      201 {"executionArn","name"}
 * GET  /api/workflows/{machine}/{name}  the execution: status, output or error and cause
 * </pre>
 * Errors: 400 invalid input, 404 unknown, 409 an execution of that name with another input, as {"error","message"}.
 */
public class TaskApiRoutes extends RouteBuilder {

    /** Starts a state machine from a route, see below. */
    public static final String START = "direct:workflow-start";

    @Override
    public void configure() {
        onException(TaskException.class, WorkflowException.class, JsonProcessingException.class).handled(true)
                .bean(TaskApi.BEAN, "refused");

        restConfiguration().component("platform-http").bindingMode(RestBindingMode.off);
        rest("/api")
                .post("/tasks").to("direct:task-create")
                .post("/tasks/step-function").to("direct:task-create-step-function")
                .get("/tasks").to("direct:task-get")
                .post("/workflows/{machine}").to("direct:workflow-start-api")
                .get("/workflows/{machine}/{name}").to("direct:workflow-get");

        from("direct:task-create").routeId("api-task-create")
                .setHeader("X-Request-Id").method(TaskApi.BEAN, "requestId")
                .bean(TaskApi.BEAN, "json")
                .bean(TaskService.BEAN, "create(${body}, false, ${header.X-Request-Id})")
                .bean(TaskApi.BEAN, "created");
        from("direct:task-create-step-function").routeId("api-task-create-step-function")
                .setHeader("X-Request-Id").method(TaskApi.BEAN, "requestId")
                .bean(TaskApi.BEAN, "json")
                .bean(TaskService.BEAN, "create(${body}, true, ${header.X-Request-Id})")
                .bean(TaskApi.BEAN, "created");
        from("direct:task-get").routeId("api-task-get")
                .bean(TaskApi.BEAN, "taskKey")
                .bean(TaskService.BEAN, "get")
                .bean(TaskApi.BEAN, "ok");

        from("direct:workflow-start-api").routeId("api-workflow-start")
                .bean(TaskApi.BEAN, "requireMachine(${header.machine})")
                .bean(TaskApi.BEAN, "json")
                .bean(Workflows.BEAN, "start(${header.machine}, ${body}, ${header.name})")
                .bean(TaskApi.BEAN, "created");
        from("direct:workflow-get").routeId("api-workflow-get")
                .bean(TaskApi.BEAN, "requireMachine(${header.machine})")
                .bean(Workflows.BEAN, "describe(${header.machine}, ${header.name})")
                .bean(TaskApi.BEAN, "ok");

        // for routes: starts the machine in header WorkflowMachine with the body (JSON) as input, under the
        // execution name in header WorkflowExecutionName (optional); the reply is {"executionArn","name"}
        from(START).routeId("workflow-start")
                // the caller gets the exception, not the API's error reply
                .onException(TaskException.class, WorkflowException.class).handled(false).end()
                .bean(TaskApi.BEAN, "requireMachine(${header.WorkflowMachine})")
                .bean(TaskApi.BEAN, "json")
                .bean(Workflows.BEAN,
                        "start(${header.WorkflowMachine}, ${body}, ${header.WorkflowExecutionName})")
                .convertBodyTo(String.class);
    }
}
