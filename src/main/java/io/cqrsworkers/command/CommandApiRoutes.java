package io.cqrsworkers.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.cqrsworkers.api.JsonResponses;
import io.cqrsworkers.security.Caller;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.json.Jackson;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;

import static io.cqrsworkers.api.JsonResponses.error;
import static io.cqrsworkers.api.JsonResponses.reply;

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

    private static final ObjectMapper JSON = Jackson.MAPPER;

    @Override
    public void configure() {
        CommandService service = getContext().getRegistry().lookupByNameAndType(CommandService.BEAN, CommandService.class);
        CommandStore store = getContext().getRegistry().lookupByNameAndType(CommandStore.BEAN, CommandStore.class);
        CommandTables tables = getContext().getRegistry().lookupByNameAndType(CommandTables.BEAN, CommandTables.class);

        onException(CommandException.class).handled(true).process(e -> {
            CommandException failure = e.getProperty(Exchange.EXCEPTION_CAUGHT, CommandException.class);
            error(e, failure.status(), failure.getMessage());
        });
        onException(JsonProcessingException.class).handled(true).process(JsonResponses::invalidJson);

        restConfiguration().component("platform-http").bindingMode(RestBindingMode.off);
        rest("/api")
                .post("/commands/{module}").to("direct:command-publish")
                .post("/commands/{module}/partial").to("direct:command-publish-partial")
                .post("/commands/{module}/sync").to("direct:command-publish-sync")
                .get("/commands/{module}").to("direct:command-get")
                .get("/data/{module}").to("direct:data-get");

        from("direct:command-publish").routeId("api-command-publish")
                .process(e -> published(e, service.publish(module(e), body(e), options(e, false))));
        from("direct:command-publish-partial").routeId("api-command-publish-partial")
                .process(e -> published(e, service.publishPartial(module(e), body(e), options(e, false))));
        from("direct:command-publish-sync").routeId("api-command-publish-sync")
                .process(e -> published(e, service.publish(module(e), body(e), options(e, true))));
        from("direct:command-get").routeId("api-command-get").process(e -> {
            String name = module(e);
            String pk = required(e, "pk");
            String sk = required(e, "sk");
            tables.requireModule(name);
            JsonNode found = (CommandKeys.versionOf(sk) >= 0
                    ? store.getCommand(name, pk, sk, true)
                    : service.latest(name, pk, sk))
                    .orElseThrow(() -> new CommandException(404, "No command " + pk + " / " + sk));
            reply(e, 200, found);
        });
        from("direct:data-get").routeId("api-data-get").process(e -> {
            String name = module(e);
            tables.requireModule(name);
            String pk = required(e, "pk");
            String sk = required(e, "sk");
            JsonNode found = store.getData(name, pk, CommandKeys.removeVersion(sk), true)
                    .orElseThrow(() -> new CommandException(404, "No data record " + pk + " / " + sk));
            reply(e, 200, found);
        });
    }

    private static String module(Exchange e) {
        return e.getMessage().getHeader("module", String.class);
    }

    private static String required(Exchange e, String name) {
        String value = e.getMessage().getHeader(name, String.class);
        if (value == null || value.isBlank()) {
            throw new CommandException(400, "Query parameter '" + name + "' is required");
        }
        return value;
    }

    private static JsonNode body(Exchange e) throws JsonProcessingException {
        String text = e.getMessage().getBody(String.class);
        if (text == null || text.isBlank()) {
            throw new CommandException(400, "The request needs a JSON body");
        }
        return JSON.readTree(text);
    }

    private static PublishOptions options(Exchange e, boolean sync) {
        String requestId = e.getMessage().getHeader("X-Request-Id", e.getExchangeId(), String.class);
        return new PublishOptions(
                e.getMessage().getHeader("X-Source", "api:" + e.getFromRouteId(), String.class),
                requestId,
                Caller.userId(e, "anonymous"),
                e.getMessage().getHeader("X-Forwarded-For", "", String.class),
                sync);
    }

    private static void published(Exchange e, CommandService.Published published) {
        reply(e, published.written() ? 201 : 200, published.command());
    }

}
