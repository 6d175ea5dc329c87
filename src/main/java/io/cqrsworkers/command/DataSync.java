package io.cqrsworkers.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.json.Jackson;
import org.apache.camel.Body;
import org.apache.camel.Header;
import software.amazon.awssdk.services.dynamodb.model.Put;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The read model: the data record built from a command, and the history copy of the version it replaces. */
public final class DataSync {

    /** The registry name of the bean. */
    public static final String BEAN = "dataSync";

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
        ObjectNode data = dataRecord(command, store.getData(module, pk, skBase, true));
        store.putDataIfNotOlder(module, data);
        return data;
    }

    /**
     * The default sync handler's bean ({@value SyncHandlers#DEFAULT}): the command as a sync handler receives it
     * (a Map, the module in header {@value SyncData#MODULE_HEADER}) applied as by {@link #applyData}.
     */
    public ObjectNode syncHandler(@Header(SyncData.MODULE_HEADER) String module, @Body Map<String, Object> command) {
        return applyData(module, Jackson.MAPPER.valueToTree(command));
    }

    /** Copies the current data record to history as {@code skBase@version}; nothing when there is none. */
    public void copyHistory(String module, String pk, String skBase) {
        store.getData(module, pk, skBase, true).ifPresent(data -> store.put(
                store.tables().table(module, CommandTables.HISTORY),
                historyRecord(data, ttl.calculate(module, CommandTables.HISTORY, CommandKeys.tenantOf(data.path("pk").asText())))));
    }

    /**
     * publishSync's writes, for one transaction: the command (already FINISHED, written only if its version is new),
     * the history copy of the data record it replaces, and the new data record (unless a newer one is there).
     * Returns the puts in that order and the new data record.
     *
     * @param historyTtl the history table's ttl for the data record's tenant (null: none)
     */
    public SyncWrites syncWrites(String module, ObjectNode command, Optional<ObjectNode> existing, Long historyTtl) {
        ObjectNode finished = command.deepCopy().put("status", CommandStatus.FINISHED);
        List<Put> puts = new ArrayList<>(3);
        puts.add(store.commandIfAbsent(module, finished));
        existing.ifPresent(data -> puts.add(store.plain(store.tables().table(module, CommandTables.HISTORY),
                historyRecord(data, historyTtl))));
        ObjectNode data = dataRecord(command, existing);
        puts.add(store.dataIfNotOlder(module, data));
        return new SyncWrites(finished, data, puts);
    }

    /** What {@link #syncWrites} writes. */
    public record SyncWrites(ObjectNode command, ObjectNode data, List<Put> puts) {
    }

    /** The data record for a command: over the existing one, keeping its created* fields. */
    private static ObjectNode dataRecord(ObjectNode command, Optional<ObjectNode> existing) {
        ObjectNode data = existing.map(ObjectNode::deepCopy).orElseGet(command::objectNode);
        for (Map.Entry<String, JsonNode> field : command.properties()) {
            boolean keepCreated = field.getKey().startsWith("created") && existing.isPresent();
            if (!keepCreated) {
                data.set(field.getKey(), field.getValue());
            }
        }
        String pk = command.get("pk").asText();
        data.remove(List.of("status", "taskToken", "syncMode"));
        data.put("sk", CommandKeys.removeVersion(command.get("sk").asText()));
        data.put("cpk", pk);
        data.put("csk", command.get("sk").asText());
        return data;
    }

    private static ObjectNode historyRecord(ObjectNode data, Long historyTtl) {
        ObjectNode history = data.deepCopy();
        history.put("sk", CommandKeys.addVersion(data.get("sk").asText(), data.path("version").asLong()));
        if (historyTtl == null) {
            history.remove("ttl");
        } else {
            history.put("ttl", historyTtl);
        }
        return history;
    }
}
