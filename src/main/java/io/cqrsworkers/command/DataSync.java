package io.cqrsworkers.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Optional;

/** The read model: the data record built from a command, and the history copy of the version it replaces. */
public final class DataSync {

    private final CommandStore store;
    private final TtlService ttl;

    public DataSync(CommandStore store, TtlService ttl) {
        this.store = store;
        this.ttl = ttl;
    }

    /**
     * The default sync handler: writes the data record (the command without status, sk without version, with
     * cpk/csk) unless a newer version is already there. Returns the record.
     */
    public ObjectNode applyData(String module, ObjectNode command) {
        String pk = command.get("pk").asText();
        String skBase = CommandKeys.removeVersion(command.get("sk").asText());
        Optional<ObjectNode> existing = store.getData(module, pk, skBase, true);
        ObjectNode data = existing.map(ObjectNode::deepCopy).orElseGet(command::objectNode);
        for (var field : (Iterable<java.util.Map.Entry<String, JsonNode>>) command::fields) {
            boolean keepCreated = field.getKey().startsWith("created") && existing.isPresent();
            if (!keepCreated) {
                data.set(field.getKey(), field.getValue());
            }
        }
        data.remove(List.of("status", "taskToken", "syncMode"));
        data.put("sk", skBase);
        data.put("cpk", pk);
        data.put("csk", command.get("sk").asText());
        store.putDataIfNotOlder(module, data);
        return data;
    }

    /** Copies the current data record to history as {@code skBase@version}; nothing when there is none. */
    public void copyHistory(String module, String pk, String skBase) {
        store.getData(module, pk, skBase, true).ifPresent(data -> {
            ObjectNode history = data.deepCopy();
            history.put("sk", CommandKeys.addVersion(skBase, data.path("version").asLong()));
            Long historyTtl = ttl.calculate(module, CommandTables.HISTORY, data.path("tenantCode").asText(null));
            if (historyTtl == null) {
                history.remove("ttl");
            } else {
                history.put("ttl", historyTtl);
            }
            store.put(store.tables().table(module, CommandTables.HISTORY), history);
        });
    }

    /** publishSync: history and data written at once, no workflow. */
    public void applySync(String module, ObjectNode command) {
        String pk = command.get("pk").asText();
        String skBase = CommandKeys.removeVersion(command.get("sk").asText());
        copyHistory(module, pk, skBase);
        applyData(module, command);
        store.updateStatus(module, pk, command.get("sk").asText(), "finish:FINISHED");
    }
}
