package io.cqrsworkers.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.json.Jackson;
import io.cqrsworkers.notification.Notifier;
import org.apache.camel.ExchangeProperty;

/**
 * Is this version next? 0: apply now; 1: wait for the previous version; -1: it is behind the read model (an alarm,
 * and the execution ends in its Fail state). Consistent reads, unlike the original's.
 */
public final class CheckVersion {

    /** The registry name of this step's bean. */
    public static final String BEAN = "checkVersion";
    /** The state of command-handler.asl.json it runs. */
    public static final String STATE = "check_version";

    private static final ObjectMapper JSON = Jackson.MAPPER;

    private final CommandStore store;
    private final Notifier notifier;

    public CheckVersion(CommandStore store, Notifier notifier) {
        this.store = store;
        this.notifier = notifier;
    }

    public JsonNode run(@ExchangeProperty(CommandStepContext.PROPERTY) CommandStepContext c) {
        long next = 1 + store.getData(c.module(), c.pk(), c.skBase(), true)
                .map(d -> d.path("version").asLong()).orElse(0L);
        long version = c.version();
        if (next == version) {
            return JSON.createObjectNode().put("result", 0);
        }
        if (next < version) {
            boolean previousExists = store.getCommand(c.module(), c.pk(),
                    CommandKeys.addVersion(c.skBase(), version - 1), true).isPresent();
            // a missing predecessor (expired by its TTL) is a gap the original tolerates
            return JSON.createObjectNode().put("result", previousExists ? 1 : 0);
        }
        String cause = "next version must be " + next + " but got " + version;
        notifier.alarm(store.tables().table(c.module(), CommandTables.COMMAND), c.pk(), c.sk(),
                "version is not match: " + cause, c.event().executionArn());
        return JSON.createObjectNode().put("result", -1).put("error", "version is not match").put("cause", cause);
    }
}
