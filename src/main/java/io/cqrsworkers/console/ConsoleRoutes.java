package io.cqrsworkers.console;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.aws2.ddb.Ddb2Constants;
import org.apache.camel.model.rest.RestBindingMode;

/**
 * The web console on the business port, when {@code app.console.enabled}:
 * <pre>
 * GET  /console/                            the page (console/index.html), assets under /console/assets/
 * GET  /console/api/info                    read-only flag, refresh interval
 * GET  /console/api/state-machines          ListStateMachines
 * GET  /console/api/executions?machine=&status=&name=&nextToken=&pageSize=   one page, newest first
 * GET  /console/api/execution?arn=          description, definition, history, state outcomes, map runs
 * GET  /console/api/map-run?arn=&status=&nextToken=   a distributed map's run and its child executions
 * GET  /console/api/modules                 modules and the command status chain
 * GET  /console/api/commands/{module}?pk=&nextToken=  commands with their versions
 * GET  /console/api/tasks?nextToken=        tasks with sub-task progress
 * GET  /console/api/imports?nextToken=      import jobs with row counters and rejected rows
 * GET  /console/api/queues                  depths of every queue and its DLQ
 * POST /console/api/queues/{queue}/redrive  StartMessageMoveTask DLQ -> queue (403 when read-only)
 * </pre>
 * Every answer is JSON; errors are {"error","message"} with 400, 403, 404 or 502.
 */
public class ConsoleRoutes extends RouteBuilder {

    static final String REPLY = "direct:console-reply";

    @Override
    public void configure() {
        if (!Boolean.parseBoolean(getContext().resolvePropertyPlaceholders("{{app.console.enabled:false}}"))) {
            return;
        }
        onException(Exception.class).handled(true).bean(ConsoleReplies.BEAN, "failed");

        from("platform-http:/console").routeId("console-page").bean(ConsoleAssets.BEAN, "serve");
        from("platform-http:/console/assets?matchOnUriPrefix=true").routeId("console-assets")
                .bean(ConsoleAssets.BEAN, "serve");

        restConfiguration().component("platform-http").bindingMode(RestBindingMode.off);
        rest("/console/api")
                .get("/info").to("direct:console-info")
                .get("/state-machines").to("direct:console-state-machines")
                .get("/executions").to("direct:console-executions")
                .get("/execution").to("direct:console-execution")
                .get("/map-run").to("direct:console-map-run")
                .get("/modules").to("direct:console-modules")
                .get("/commands/{module}").to("direct:console-commands")
                .get("/tasks").to("direct:console-tasks")
                .get("/imports").to("direct:console-imports")
                .get("/queues").to("direct:console-queues")
                .post("/queues/{queue}/redrive").to("direct:console-redrive");

        answer("console-info", ConsoleSettings.BEAN, "info");
        answer("console-state-machines", StepFunctionsView.BEAN, "machines");
        answer("console-executions", StepFunctionsView.BEAN, "executions");
        answer("console-execution", StepFunctionsView.BEAN, "execution");
        answer("console-map-run", StepFunctionsView.BEAN, "mapRun");
        answer("console-modules", StoreView.BEAN, "modules");
        tablePage("console-commands", "commandsRequest", "commands");
        tablePage("console-tasks", "tasksRequest", "tasks");
        tablePage("console-imports", "importsRequest", "imports");
        answer("console-queues", QueueView.BEAN, "queues");
        answer("console-redrive", QueueView.BEAN, "redrive");

        // the request's headers (query parameters among them) are not echoed back; compact JSON
        from(REPLY).routeId("console-reply")
                .removeHeaders("*")
                .setHeader("Cache-Control", constant("no-store"))
                .marshal().json()
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"));
    }

    /** direct:{id} reads one page of a table with aws2-ddb (table, operation and start key set by the bean). */
    private void tablePage(String id, String request, String answer) {
        from("direct:" + id).routeId(id)
                .bean(StoreView.BEAN, request)
                .toD("aws2-ddb:${header." + Ddb2Constants.TABLE_NAME + "}?amazonDDBClient=#dynamoDbClient"
                        + "&enabledInitialDescribeTable=false")
                .bean(StoreView.BEAN, answer)
                .to(REPLY);
    }

    /** direct:{id} asks bean {@code bean} for the JSON answer and replies with it. */
    private void answer(String id, String bean, String method) {
        from("direct:" + id).routeId(id).bean(bean, method).to(REPLY);
    }
}
