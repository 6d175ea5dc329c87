package io.cqrsworkers.command.steps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.command.CommandStep;
import io.cqrsworkers.command.CommandStepContext;
import io.cqrsworkers.command.LargeAttributes;
import io.cqrsworkers.command.SyncHandlers;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * Runs one sync handler: a Camel endpoint that receives the full command (attributes from S3 when offloaded) as a
 * Map, with the module in header {@value #MODULE_HEADER}. Its reply body is the step's output.
 */
public final class SyncData implements CommandStep {

    public static final String MODULE_HEADER = "CqrsModule";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SyncHandlers handlers;
    private final LargeAttributes attributes;
    private final ProducerTemplate producer;

    public SyncData(SyncHandlers handlers, LargeAttributes attributes, ProducerTemplate producer) {
        this.handlers = handlers;
        this.attributes = attributes;
        this.producer = producer;
    }

    @Override
    public String state() {
        return "sync_data";
    }

    @Override
    public JsonNode run(CommandStepContext c) throws Exception {
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
        // a Map, so routes can read it with the simple language, e.g. ${body[attributes]}
        java.util.Map<String, Object> body = JSON.convertValue(command, new com.fasterxml.jackson.core.type.TypeReference<>() { });
        Exchange reply = producer.request(uri, e -> {
            e.getMessage().setBody(body);
            e.getMessage().setHeader(MODULE_HEADER, c.module());
        });
        if (reply.getException() != null) {
            throw reply.getException();
        }
        Object output = reply.getMessage().getBody();
        if (output == null) {
            return JSON.nullNode();
        }
        if (output instanceof JsonNode node) {
            return node;
        }
        if (output instanceof String text) {
            try {
                return JSON.readTree(text);
            } catch (Exception notJson) {
                return JSON.getNodeFactory().textNode(text);
            }
        }
        return JSON.valueToTree(output);
    }
}
