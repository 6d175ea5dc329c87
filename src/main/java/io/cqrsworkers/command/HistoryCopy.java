package io.cqrsworkers.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.json.Jackson;
import org.apache.camel.ExchangeProperty;

/** The data record about to be replaced is copied to history (so history holds the previous versions). */
public final class HistoryCopy {

    /** The registry name of this step's bean. */
    public static final String BEAN = "historyCopy";
    /** The state of command-handler.asl.json it runs. */
    public static final String STATE = "history_copy";

    private static final ObjectMapper JSON = Jackson.MAPPER;

    private final DataSync dataSync;

    public HistoryCopy(DataSync dataSync) {
        this.dataSync = dataSync;
    }

    public JsonNode run(@ExchangeProperty(CommandStepContext.PROPERTY) CommandStepContext c) {
        dataSync.copyHistory(c.module(), c.pk(), c.skBase());
        return JSON.createObjectNode().put("result", "ok");
    }
}
