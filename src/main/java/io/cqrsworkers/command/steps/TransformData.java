package io.cqrsworkers.command.steps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.cqrsworkers.command.CommandStep;
import io.cqrsworkers.command.CommandStepContext;
import io.cqrsworkers.command.SyncHandlers;

/** One item per sync handler of the module; sync_data_all runs them in parallel. */
public final class TransformData implements CommandStep {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SyncHandlers handlers;

    public TransformData(SyncHandlers handlers) {
        this.handlers = handlers;
    }

    @Override
    public String state() {
        return "transform_data";
    }

    @Override
    public JsonNode run(CommandStepContext c) {
        ArrayNode items = JSON.createArrayNode();
        for (String uri : handlers.of(c.module())) {
            items.addObject().put("prevStateName", state()).put("result", uri);
        }
        return items;
    }
}
