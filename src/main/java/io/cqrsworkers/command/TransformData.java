package io.cqrsworkers.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.json.Jackson;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.apache.camel.ExchangeProperty;

/** One item per sync handler of the module; sync_data_all runs them in parallel. */
public final class TransformData {

    /** The registry name of this step's bean. */
    public static final String BEAN = "transformData";
    /** The state of command-handler.asl.json it runs. */
    public static final String STATE = "transform_data";

    private static final ObjectMapper JSON = Jackson.MAPPER;

    private final SyncHandlers handlers;

    public TransformData(SyncHandlers handlers) {
        this.handlers = handlers;
    }

    public JsonNode run(@ExchangeProperty(CommandStepContext.PROPERTY) CommandStepContext c) {
        ArrayNode items = JSON.createArrayNode();
        for (String uri : handlers.of(c.module())) {
            items.addObject().put("prevStateName", STATE).put("result", uri);
        }
        return items;
    }
}
