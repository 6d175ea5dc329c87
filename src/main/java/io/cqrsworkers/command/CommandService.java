package io.cqrsworkers.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.json.Jackson;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Publishing commands with the original's version rules: version -1 = after the latest, 0 = the first, N = after N
 * (which must exist). A command equal to its predecessor is not written. The write is conditional, so two writers
 * of the same version never both succeed (409).
 */
public final class CommandService {

    /** The registry name of the bean. */
    public static final String BEAN = "commandService";

    /** Fields compared to decide whether a command changes anything. */
    private static final List<String> DIRTY_FIELDS =
            List.of("id", "code", "name", "tenantCode", "type", "isDeleted", "seq", "ttl", "attributes");
    private static final List<String> REQUIRED = List.of("pk", "sk", "code", "name", "tenantCode", "type");
    private static final ObjectMapper JSON = Jackson.MAPPER;
    static final String CONDITION_FAILED = "ConditionalCheckFailed";

    private final CommandStore store;
    private final TtlService ttl;
    private final LargeAttributes attributes;
    private final DataSync dataSync;

    public CommandService(CommandStore store, TtlService ttl, LargeAttributes attributes, DataSync dataSync) {
        this.store = store;
        this.ttl = ttl;
        this.attributes = attributes;
        this.dataSync = dataSync;
    }

    /** The outcome: the written command, or the unchanged latest one when nothing was dirty. */
    public record Published(ObjectNode command, boolean written) {
    }

    /** publishAsync: the command is written and its stream record starts the command workflow. */
    public Published publish(String module, JsonNode input, PublishOptions options) {
        store.tables().requireModule(module);
        validate(input);
        String pk = input.get("pk").asText();
        String skBase = input.get("sk").asText();
        long inputVersion = input.path("version").asLong();

        // the read model: where the latest version is looked for, and what a synchronous publish replaces
        Optional<ObjectNode> data = inputVersion == CommandKeys.VERSION_LATEST || options.sync()
                ? store.getData(module, pk, skBase, true) : Optional.empty();
        Optional<ObjectNode> previous;
        if (inputVersion == CommandKeys.VERSION_LATEST) {
            previous = latest(module, pk, skBase, data);
        } else if (inputVersion == CommandKeys.VERSION_FIRST) {
            previous = Optional.empty();
        } else {
            previous = store.getCommand(module, pk, CommandKeys.addVersion(skBase, inputVersion), true);
            if (previous.isEmpty()) {
                throw new CommandException(400, "Invalid input version: " + pk + " / "
                        + CommandKeys.addVersion(skBase, inputVersion) + " does not exist");
            }
        }
        Optional<ObjectNode> next = next(module, input, previous, options,
                (type, tenant) -> ttl.calculate(module, type, tenant));
        if (next.isEmpty()) {
            return new Published(previous.get(), false);
        }
        ObjectNode command = next.get();
        boolean written;
        if (options.sync()) {
            Long historyTtl = data.map(d -> ttl.calculate(module, CommandTables.HISTORY,
                    CommandKeys.tenantOf(d.path("pk").asText()))).orElse(null);
            DataSync.SyncWrites writes = dataSync.syncWrites(module, command, data, historyTtl);
            List<String> refused = store.transact(writes.puts());
            // only the data record's condition failed: a newer version is in the read model, keep it
            written = refused == null || !CONDITION_FAILED.equals(refused.get(0))
                    && store.putCommandIfAbsent(module, writes.command());
            command = writes.command();
        } else {
            written = store.putCommandIfAbsent(module, command);
        }
        if (!written) {
            throw conflict(pk, command.get("sk").asText());
        }
        return new Published(command, true);
    }

    /**
     * The command to write after {@code previous} (the version before it, if any), or empty when it would change
     * nothing. Input validated; large attributes are stored in S3 here.
     *
     * @param ttlOf the ttl of a table type for a tenant (null: none)
     */
    Optional<ObjectNode> next(String module, JsonNode input, Optional<ObjectNode> previous, PublishOptions options,
                              BiFunction<String, String, Long> ttlOf) {
        String pk = input.get("pk").asText();
        long version = previous.map(p -> p.path("version").asLong()).orElse(0L) + 1;

        ObjectNode command = JSON.createObjectNode();
        command.put("pk", pk);
        command.put("sk", CommandKeys.addVersion(input.get("sk").asText(), version));
        command.put("id", input.hasNonNull("id") ? input.get("id").asText()
                : CommandKeys.id(pk, input.get("sk").asText()));
        for (String field : List.of("code", "name", "tenantCode", "type")) {
            command.put(field, input.get(field).asText());
        }
        command.put("version", version);
        copyIfPresent(input, command, "isDeleted", "seq");
        if (input.has("ttl")) {
            command.set("ttl", input.get("ttl"));
        } else {
            Long dataTtl = ttlOf.apply(CommandTables.DATA, CommandKeys.tenantOf(input.get("pk").asText()));
            command.set("ttl", dataTtl == null ? JSON.nullNode() : JSON.getNodeFactory().numberNode(dataTtl));
        }
        command.set("attributes", input.has("attributes") ? input.get("attributes") : JSON.createObjectNode());

        if (previous.isPresent() && !dirty(previous.get(), command)) {
            return Optional.empty();
        }
        command.set("attributes", attributes.store(store.tables().table(module, CommandTables.COMMAND), pk,
                command.get("sk").asText(), command.get("attributes")));
        String now = CommandStore.now();
        command.put("source", options.source());
        command.put("requestId", options.requestId());
        command.put("createdAt", now).put("updatedAt", now);
        command.put("createdBy", options.userId()).put("updatedBy", options.userId());
        command.put("createdIp", options.ip()).put("updatedIp", options.ip());
        if (options.sync()) {
            command.put("syncMode", "SYNC");
        }
        return Optional.of(command);
    }

    static CommandException conflict(String pk, String sk) {
        return new CommandException(409, "Version conflict: " + pk + " / " + sk
                + " was written by someone else; read the latest version and retry");
    }

    /** publishPartialUpdate: the latest command deep-merged with the input, as a new version. */
    public Published publishPartial(String module, JsonNode input, PublishOptions options) {
        store.tables().requireModule(module);
        if (!input.hasNonNull("pk") || !input.hasNonNull("sk")) {
            throw new CommandException(400, "A partial update needs pk and sk");
        }
        String pk = input.get("pk").asText();
        String skBase = CommandKeys.removeVersion(input.get("sk").asText());
        return publish(module, merged(input, latest(module, pk, skBase)), options);
    }

    /** A partial update's input: the latest command deep-merged with it, at the latest version. */
    JsonNode merged(JsonNode input, Optional<ObjectNode> latestCommand) {
        String skBase = CommandKeys.removeVersion(input.get("sk").asText());
        ObjectNode latest = latestCommand.orElseThrow(() -> new CommandException(404, "No command "
                + input.get("pk").asText() + " / " + skBase + " to update"));
        if (input.has("version") && input.get("version").asLong() != CommandKeys.VERSION_LATEST
                && input.get("version").asLong() != latest.path("version").asLong()) {
            throw new CommandException(409, "Version conflict: latest is " + latest.path("version").asLong()
                    + ", the update was based on " + input.get("version").asLong());
        }
        ObjectNode merged = latest.deepCopy();
        merged.set("attributes", attributes.resolve(latest.get("attributes")));
        merge(merged, (ObjectNode) input);
        merged.put("sk", skBase);
        merged.put("version", latest.path("version").asLong());
        if (!input.has("ttl")) {
            merged.remove("ttl");
        }
        merged.remove(List.of("syncMode", "status", "taskToken"));
        return merged;
    }

    /** publishSync for many commands at once (bulk imports): see {@link SyncBatch}. */
    public SyncBatch syncBatch(String module, PublishOptions options) {
        store.tables().requireModule(module);
        if (!options.sync()) {
            throw new IllegalArgumentException("A sync batch publishes synchronously");
        }
        return new SyncBatch(this, store, dataSync, ttl, module, options);
    }

    /** The command with the highest version, found from the read model's version upward with consistent reads. */
    public Optional<ObjectNode> latest(String module, String pk, String skBase) {
        return latest(module, pk, skBase, store.getData(module, pk, skBase, true));
    }

    private Optional<ObjectNode> latest(String module, String pk, String skBase, Optional<ObjectNode> data) {
        long version = data.map(d -> d.path("version").asLong()).orElse(0L);
        Optional<ObjectNode> found = version > 0
                ? store.getCommand(module, pk, CommandKeys.addVersion(skBase, version), true) : Optional.empty();
        while (true) {
            Optional<ObjectNode> next = store.getCommand(module, pk, CommandKeys.addVersion(skBase, version + 1), true);
            if (next.isEmpty()) {
                return found;
            }
            found = next;
            version++;
        }
    }

    static void validate(JsonNode input) {
        if (input == null || !input.isObject()) {
            throw new CommandException(400, "The command must be a JSON object");
        }
        List<String> problems = new ArrayList<>();
        for (String field : REQUIRED) {
            if (!input.hasNonNull(field) || !input.get(field).isTextual() || input.get(field).asText().isBlank()) {
                problems.add(field + " must be a non-empty string");
            }
        }
        JsonNode version = input.get("version");
        if (version == null || !version.canConvertToLong() || !version.isIntegralNumber()
                || version.asLong() < CommandKeys.VERSION_LATEST) {
            problems.add("version must be an integer: -1 (latest), 0 (first) or the version it follows");
        }
        if (input.hasNonNull("sk") && input.get("sk").asText().contains(CommandKeys.VERSION_SEPARATOR)) {
            problems.add("sk must not contain '" + CommandKeys.VERSION_SEPARATOR + "' (the version is added)");
        }
        if (input.has("attributes") && !input.get("attributes").isObject() && !input.get("attributes").isNull()) {
            problems.add("attributes must be an object");
        }
        if (!problems.isEmpty()) {
            throw new CommandException(400, "Invalid command: " + String.join("; ", problems));
        }
    }

    private static boolean dirty(ObjectNode previous, ObjectNode next) {
        for (String field : DIRTY_FIELDS) {
            JsonNode a = normalise(previous.get(field));
            JsonNode b = normalise(next.get(field));
            if (!Objects.equals(a, b)) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode normalise(JsonNode value) {
        return value == null || value.isNull() ? null : value;
    }

    private static void copyIfPresent(JsonNode from, ObjectNode to, String... fields) {
        for (String field : fields) {
            if (from.has(field)) {
                to.set(field, from.get(field));
            }
        }
    }

    private static void merge(ObjectNode target, ObjectNode source) {
        source.fields().forEachRemaining(e -> {
            JsonNode existing = target.get(e.getKey());
            if (existing instanceof ObjectNode existingObject && e.getValue() instanceof ObjectNode update) {
                merge(existingObject, update);
            } else {
                target.set(e.getKey(), e.getValue());
            }
        });
    }
}
