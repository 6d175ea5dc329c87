package io.cqrsworkers.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.json.Jackson;
import io.cqrsworkers.security.Caller;
import org.apache.camel.Exchange;

import static io.cqrsworkers.api.JsonResponses.error;
import static io.cqrsworkers.api.JsonResponses.reply;

/**
 * The publish API's requests and answers (see {@link CommandApiRoutes}): path parameter {@code module}, the JSON
 * body or the query parameters in, the JSON answer with its HTTP status out.
 */
public final class CommandApi {

    /** The registry name of the bean. */
    public static final String BEAN = "commandApi";

    private final CommandService service;
    private final CommandStore store;
    private final CommandTables tables;

    public CommandApi(CommandService service, CommandStore store, CommandTables tables) {
        this.service = service;
        this.store = store;
        this.tables = tables;
    }

    public void publish(Exchange e) throws JsonProcessingException {
        published(e, service.publish(module(e), body(e), options(e, false)));
    }

    public void publishPartial(Exchange e) throws JsonProcessingException {
        published(e, service.publishPartial(module(e), body(e), options(e, false)));
    }

    public void publishSync(Exchange e) throws JsonProcessingException {
        published(e, service.publish(module(e), body(e), options(e, true)));
    }

    /** The latest command, or the version named by an sk with {@code @N}. */
    public void command(Exchange e) {
        String name = module(e);
        String pk = required(e, "pk");
        String sk = required(e, "sk");
        tables.requireModule(name);
        JsonNode found = (CommandKeys.versionOf(sk) >= 0 ? store.getCommand(name, pk, sk, true)
                : service.latest(name, pk, sk))
                .orElseThrow(() -> new CommandException(404, "No command " + pk + " / " + sk));
        reply(e, 200, found);
    }

    /** The read-model record. */
    public void data(Exchange e) {
        String name = module(e);
        tables.requireModule(name);
        String pk = required(e, "pk");
        String sk = required(e, "sk");
        JsonNode found = store.getData(name, pk, CommandKeys.removeVersion(sk), true)
                .orElseThrow(() -> new CommandException(404, "No data record " + pk + " / " + sk));
        reply(e, 200, found);
    }

    /** A refused request: its status and message. */
    public void refused(Exchange e) {
        CommandException failure = e.getProperty(Exchange.EXCEPTION_CAUGHT, CommandException.class);
        error(e, failure.status(), failure.getMessage());
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
        return Jackson.MAPPER.readTree(text);
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
