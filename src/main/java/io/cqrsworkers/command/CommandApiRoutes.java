package io.cqrsworkers.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.cqrsworkers.api.JsonResponses;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;

/**
 * The publish API on the business port:
 * <pre>
 * POST /api/commands/{module}           publish (the command workflow applies it)       201 | 200 not dirty
 * POST /api/commands/{module}/partial   partial update of the latest version             201 | 200
 * POST /api/commands/{module}/sync      synchronous publish: data written now, no workflow 201 | 200
 * GET  /api/commands/{module}?pk=&sk=   the latest command (sk with @N: that version), with its status
 * GET  /api/data/{module}?pk=&sk=       the read-model record
 * </pre>
 * Errors: 400 invalid input, 404 unknown, 409 version conflict, as {"error","message"}.
 */
public class CommandApiRoutes extends RouteBuilder {

    @Override
    public void configure() {
        onException(CommandException.class).handled(true).bean(CommandApi.BEAN, "refused");
        onException(JsonProcessingException.class).handled(true).bean(JsonResponses.class, "invalidJson");

        restConfiguration().component("platform-http").bindingMode(RestBindingMode.off);
        rest("/api")
                .post("/commands/{module}").to("direct:command-publish")
                .post("/commands/{module}/partial").to("direct:command-publish-partial")
                .post("/commands/{module}/sync").to("direct:command-publish-sync")
                .get("/commands/{module}").to("direct:command-get")
                .get("/data/{module}").to("direct:data-get");

        from("direct:command-publish").routeId("api-command-publish").bean(CommandApi.BEAN, "publish");
        from("direct:command-publish-partial").routeId("api-command-publish-partial")
                .bean(CommandApi.BEAN, "publishPartial");
        from("direct:command-publish-sync").routeId("api-command-publish-sync").bean(CommandApi.BEAN, "publishSync");
        from("direct:command-get").routeId("api-command-get").bean(CommandApi.BEAN, "command");
        from("direct:data-get").routeId("api-data-get").bean(CommandApi.BEAN, "data");
    }
}
