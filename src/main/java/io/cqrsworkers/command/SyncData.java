package io.cqrsworkers.command;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.json.Jackson;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;

import java.util.Map;

/**
 * One sync handler of a command, inside the state machine's sync_data_all Map (one item per handler, named by the
 * item's {@code result}): {@link #request} checks that the handler is one of the module's and makes the request,
 * the full command (attributes read back from S3 when offloaded) as a Map; the step route sends it to the handler
 * through a recipient list ({@link SyncHandlerCall}).
 */
public final class SyncData {

    /** The registry name of this step's bean. */
    public static final String BEAN = "syncData";
    /** The state of command-handler.asl.json it runs. */
    public static final String STATE = "sync_data";
    public static final String MODULE_HEADER = "CqrsModule";
    /** The handler's endpoint URI, for the recipient list. */
    public static final String HANDLER_HEADER = "CqrsSyncHandler";
    private static final ObjectMapper JSON = Jackson.MAPPER;

    private final SyncHandlers handlers;
    private final LargeAttributes attributes;

    public SyncData(SyncHandlers handlers, LargeAttributes attributes) {
        this.handlers = handlers;
        this.attributes = attributes;
    }

    /** Names the handler (header {@value #HANDLER_HEADER}) and makes the body the command; refuses an unknown one. */
    public Map<String, Object> request(@ExchangeProperty(CommandStepContext.PROPERTY) CommandStepContext c,
                                       Message message) {
        String uri = c.input().path("result").asText(null);
        if (uri == null) {
            throw new IllegalArgumentException("SyncDataHandler not found! The item has no 'result' naming a handler");
        }
        if (!handlers.of(c.module()).contains(uri)) {
            throw new IllegalArgumentException("SyncDataHandler empty! '" + uri + "' is not a sync handler of module "
                    + c.module() + " " + handlers.of(c.module()));
        }
        ObjectNode command = c.command().deepCopy();
        command.set("attributes", attributes.resolve(command.get("attributes")));
        message.setHeader(HANDLER_HEADER, uri);
        // a Map, so routes can read it with the simple language, e.g. ${body[attributes]}
        return JSON.convertValue(command, new TypeReference<>() { });
    }
}
