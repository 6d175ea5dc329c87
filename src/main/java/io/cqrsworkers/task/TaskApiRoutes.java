package io.cqrsworkers.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.api.JsonResponses;
import io.cqrsworkers.workflow.WorkflowException;
import io.cqrsworkers.workflow.Workflows;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;

import static io.cqrsworkers.api.JsonResponses.error;
import static io.cqrsworkers.api.JsonResponses.reply;

/**
 * The task and workflow API on the business port:
 * <pre>
 * POST /api/tasks                    {"taskType","tenantCode","name"?,"input"}     201 the task (CREATED)
 * POST /api/tasks/step-function      {"taskType","tenantCode","name"?,"input":[]}  201
 * GET  /api/tasks?pk=&amp;sk=            the task; a step-function task with subTaskRows and its counters
 * POST /api/workflows/{machine}?name= body = execution input                      201 {"executionArn","name"}
 * GET  /api/workflows/{machine}/{name}  the execution: status, output or error and cause
 * </pre>
 * Errors: 400 invalid input, 404 unknown, as {"error","message"}.
 */
public class TaskApiRoutes extends RouteBuilder {

    /** Starts a state machine from a route, see below. */
    public static final String START = "direct:workflow-start";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void configure() {
        TaskModule module = TaskModule.of(getContext());
        Workflows workflows = new Workflows(module.machines(), getContext());

        onException(TaskException.class).handled(true).process(e -> {
            TaskException failure = e.getProperty(Exchange.EXCEPTION_CAUGHT, TaskException.class);
            error(e, failure.status(), failure.getMessage());
        });
        onException(WorkflowException.class).handled(true).process(e -> {
            WorkflowException failure = e.getProperty(Exchange.EXCEPTION_CAUGHT, WorkflowException.class);
            error(e, failure.status(), failure.getMessage());
        });
        onException(JsonProcessingException.class).handled(true).process(JsonResponses::invalidJson);

        restConfiguration().component("platform-http").bindingMode(RestBindingMode.off);
        rest("/api")
                .post("/tasks").to("direct:task-create")
                .post("/tasks/step-function").to("direct:task-create-step-function")
                .get("/tasks").to("direct:task-get")
                .post("/workflows/{machine}").to("direct:workflow-start-api")
                .get("/workflows/{machine}/{name}").to("direct:workflow-get");

        from("direct:task-create").routeId("api-task-create")
                .process(e -> reply(e, 201, module.service().create(body(e), false, requestId(e))));
        from("direct:task-create-step-function").routeId("api-task-create-step-function")
                .process(e -> reply(e, 201, module.service().create(body(e), true, requestId(e))));
        from("direct:task-get").routeId("api-task-get").process(e -> {
            TaskKeys key = new TaskKeys(required(e, "pk"), required(e, "sk"));
            reply(e, 200, module.service().read(key)
                    .orElseThrow(() -> new TaskException(404, "No task " + key.pk() + " / " + key.sk())));
        });
        from("direct:workflow-start-api").routeId("api-workflow-start").process(e -> reply(e, 201,
                workflows.start(machine(e, "machine"), body(e),
                        e.getMessage().getHeader("name", String.class))));
        from("direct:workflow-get").routeId("api-workflow-get").process(e -> reply(e, 200,
                workflows.describe(machine(e, "machine"),
                        e.getMessage().getHeader("name", String.class))));

        // for routes: starts the machine in header WorkflowMachine with the body (JSON) as input, under the
        // execution name in header WorkflowExecutionName (optional); the reply is {"executionArn","name"}
        from(START).routeId("workflow-start")
                // the caller gets the exception, not the API's error reply
                .onException(TaskException.class, WorkflowException.class).handled(false).end()
                .process(e -> e.getMessage().setBody(workflows.start(
                machine(e, "WorkflowMachine"), body(e),
                e.getMessage().getHeader("WorkflowExecutionName", String.class)).toString()));
    }

    private static String machine(Exchange e, String header) {
        String machine = e.getMessage().getHeader(header, String.class);
        if (machine == null || machine.isBlank()) {
            throw new TaskException(400, "No state machine named");
        }
        return machine;
    }

    static JsonNode body(Exchange e) throws JsonProcessingException {
        String text = e.getMessage().getBody(String.class);
        if (text == null || text.isBlank()) {
            throw new TaskException(400, "The request needs a JSON body");
        }
        return JSON.readTree(text);
    }

    private static String requestId(Exchange e) {
        return e.getMessage().getHeader("X-Request-Id", e.getExchangeId(), String.class);
    }

    private static String required(Exchange e, String name) {
        String value = e.getMessage().getHeader(name, String.class);
        if (value == null || value.isBlank()) {
            throw new TaskException(400, "Query parameter '" + name + "' is required");
        }
        return value;
    }

}
