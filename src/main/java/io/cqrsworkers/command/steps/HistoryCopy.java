package io.cqrsworkers.command.steps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.command.CommandStep;
import io.cqrsworkers.command.CommandStepContext;
import io.cqrsworkers.command.DataSync;

/** The data record about to be replaced is copied to history (so history holds the previous versions). */
public final class HistoryCopy implements CommandStep {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSync dataSync;

    public HistoryCopy(DataSync dataSync) {
        this.dataSync = dataSync;
    }

    @Override
    public String state() {
        return "history_copy";
    }

    @Override
    public JsonNode run(CommandStepContext c) {
        dataSync.copyHistory(c.module(), c.pk(), c.skBase());
        return JSON.createObjectNode().put("result", "ok");
    }
}
