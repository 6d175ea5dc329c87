package io.cqrsworkers.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.json.Jackson;
import org.apache.camel.ExchangeProperty;

/** The previous version's command row expires after the command TTL of its tenant (none when not configured). */
public final class SetTtlCommand {

    /** The registry name of this step's bean. */
    public static final String BEAN = "setTtlCommand";
    /** The state of command-handler.asl.json it runs. */
    public static final String STATE = "set_ttl_command";

    private static final ObjectMapper JSON = Jackson.MAPPER;

    private final CommandStore store;
    private final TtlService ttl;

    public SetTtlCommand(CommandStore store, TtlService ttl) {
        this.store = store;
        this.ttl = ttl;
    }

    public JsonNode run(@ExchangeProperty(CommandStepContext.PROPERTY) CommandStepContext c) {
        if (c.version() > 1) {
            // one conditional write: a previous version already gone (expired by its own TTL) is left alone
            Long expiry = ttl.calculate(c.module(), CommandTables.COMMAND, CommandKeys.tenantOf(c.command().path("pk").asText()));
            store.setCommandTtl(c.module(), c.pk(), CommandKeys.addVersion(c.skBase(), c.version() - 1), expiry);
        }
        return JSON.createObjectNode().put("result", "ok");
    }
}
