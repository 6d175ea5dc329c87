package io.cqrsworkers.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.services.dynamodb.model.Put;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * publishSync for many commands of one module (bulk imports), with the same result as publishing them one by one
 * in the order given, in a handful of calls: the entities' data records and latest commands are read with
 * BatchGetItem, and the commands, history copies and data records are written with TransactWriteItems, several
 * commands per transaction. One at a time instead: a command whose entity has a newer command than its data record
 * (a workflow still running), a version other than -1, and every command of a transaction that was refused (someone
 * else wrote in between).
 * <p>
 * A refused command (invalid, a conflict, a bad ttl setting) is an outcome with its error; AWS failures are thrown.
 * Use: {@link #load} the entities, read {@link #data} (e.g. to compare), {@link #add} commands in order, then
 * {@link #flush}; outcomes are in the order of {@link #add}.
 */
public final class SyncBatch {

    /** TransactWriteItems takes at most 100 items and 4 MB; a command writes at most 3 items. */
    private static final int MAX_ITEMS = 100;
    private static final int MAX_BYTES = 3 * 1024 * 1024;

    /** What became of an added command: published (written or unchanged), or refused with the reason. */
    public record Outcome(ObjectNode command, boolean written, RuntimeException error) {
    }

    private record Added(int index, JsonNode input, boolean partial) {
    }

    /** What is known of an entity: its latest command and data record; unsettled when a newer command is unsynced. */
    private record Entity(Optional<ObjectNode> latest, Optional<ObjectNode> data, boolean settled) {
    }

    private final CommandService service;
    private final CommandStore store;
    private final DataSync dataSync;
    private final TtlService ttl;
    private final String module;
    private final PublishOptions options;
    private final Map<CommandStore.ItemKey, Entity> entities = new HashMap<>();
    private final Map<String, Optional<Long>> ttls = new HashMap<>();
    private final List<Outcome> outcomes = new ArrayList<>();
    private final List<Added> pending = new ArrayList<>();
    private final List<DataSync.SyncWrites> pendingWrites = new ArrayList<>();
    private final Set<CommandStore.ItemKey> pendingKeys = new HashSet<>();
    private int pendingItems;
    private int pendingBytes;

    SyncBatch(CommandService service, CommandStore store, DataSync dataSync, TtlService ttl, String module,
              PublishOptions options) {
        this.service = service;
        this.store = store;
        this.dataSync = dataSync;
        this.ttl = ttl;
        this.module = module;
        this.options = options;
    }

    /**
     * Reads the data records of these entities (pk, sk without version), then the command at each data record's
     * version and the one after it: two BatchGetItem calls per 100 entities.
     */
    public void load(Collection<CommandStore.ItemKey> keys) {
        Set<CommandStore.ItemKey> wanted = new LinkedHashSet<>(keys);
        wanted.removeAll(entities.keySet());
        if (wanted.isEmpty()) {
            return;
        }
        Map<CommandStore.ItemKey, ObjectNode> data = store.getAll(store.tables().table(module, CommandTables.DATA),
                wanted);
        List<CommandStore.ItemKey> probes = new ArrayList<>();
        for (CommandStore.ItemKey key : wanted) {
            long version = versionOf(data.get(key));
            if (version > 0) {
                probes.add(commandKey(key, version));
            }
            probes.add(commandKey(key, version + 1));
        }
        Map<CommandStore.ItemKey, ObjectNode> commands =
                store.getAll(store.tables().table(module, CommandTables.COMMAND), probes);
        for (CommandStore.ItemKey key : wanted) {
            long version = versionOf(data.get(key));
            entities.put(key, new Entity(Optional.ofNullable(commands.get(commandKey(key, version))),
                    Optional.ofNullable(data.get(key)), !commands.containsKey(commandKey(key, version + 1))));
        }
    }

    /** The entity's data record as this batch will have left it (read when not loaded). */
    public Optional<ObjectNode> data(String pk, String skBase) {
        CommandStore.ItemKey key = new CommandStore.ItemKey(pk, skBase);
        load(List.of(key));
        return entities.get(key).data();
    }

    /** Publishes a command (a partial update when {@code partial}) after the ones added before it. */
    public void add(JsonNode input, boolean partial) {
        Added added = new Added(outcomes.size(), input, partial);
        outcomes.add(null);
        try {
            if (!partial) {
                CommandService.validate(input);
            } else if (!input.hasNonNull("pk") || !input.hasNonNull("sk")) {
                throw new CommandException(400, "A partial update needs pk and sk");
            }
            CommandStore.ItemKey key = new CommandStore.ItemKey(input.get("pk").asText(),
                    CommandKeys.removeVersion(input.get("sk").asText()));
            if (pendingKeys.contains(key)) {
                writePending(); // a transaction writes an item once
            }
            load(List.of(key));
            Entity entity = entities.get(key);
            boolean latestVersion = partial || input.path("version").asLong() == CommandKeys.VERSION_LATEST;
            if (!entity.settled() || !latestVersion) {
                writePending();
                entities.remove(key);
                outcomes.set(added.index(), oneByOne(added));
                return;
            }
            JsonNode full = partial ? service.merged(input, entity.latest()) : input;
            Optional<ObjectNode> next = service.next(module, full, entity.latest(), options, this::ttl);
            if (next.isEmpty()) {
                outcomes.set(added.index(), new Outcome(entity.latest().orElseThrow(), false, null));
                return;
            }
            DataSync.SyncWrites writes = dataSync.syncWrites(module, next.get(), entity.data(),
                    entity.data().map(d -> ttl(CommandTables.HISTORY, CommandKeys.tenantOf(d.path("pk").asText()))).orElse(null));
            // an upper bound close enough: the data and history records are about the command's size
            int bytes = 3 * writes.command().toString().length();
            if (pendingItems + writes.puts().size() > MAX_ITEMS || pendingBytes + bytes > MAX_BYTES) {
                writePending();
            }
            pending.add(added);
            pendingWrites.add(writes);
            pendingKeys.add(key);
            pendingItems += writes.puts().size();
            pendingBytes += bytes;
            entities.put(key, new Entity(Optional.of(writes.command()), Optional.of(writes.data()), true));
        } catch (CommandException | IllegalArgumentException | IllegalStateException e) {
            outcomes.set(added.index(), new Outcome(null, false, e));
        }
    }

    /** Writes what is pending; returns the outcomes of everything added so far, in order. */
    public List<Outcome> flush() {
        writePending();
        return List.copyOf(outcomes);
    }

    private void writePending() {
        if (!pending.isEmpty()) {
            List<Put> puts = pendingWrites.stream().flatMap(w -> w.puts().stream()).toList();
            if (store.transact(puts) == null) {
                for (int i = 0; i < pending.size(); i++) {
                    outcomes.set(pending.get(i).index(), new Outcome(pendingWrites.get(i).command(), true, null));
                }
            } else {
                // someone else wrote one of these entities in between: each again, as publish would
                pendingKeys.forEach(entities::remove);
                for (Added added : pending) {
                    outcomes.set(added.index(), oneByOne(added));
                }
            }
            pending.clear();
            pendingWrites.clear();
            pendingKeys.clear();
            pendingItems = 0;
            pendingBytes = 0;
        }
    }

    private Outcome oneByOne(Added added) {
        try {
            CommandService.Published published = added.partial()
                    ? service.publishPartial(module, added.input(), options)
                    : service.publish(module, added.input(), options);
            return new Outcome(published.command(), published.written(), null);
        } catch (CommandException | IllegalArgumentException | IllegalStateException e) {
            return new Outcome(null, false, e);
        }
    }

    /** Master-data ttl settings, read once per batch. */
    private Long ttl(String type, String tenantCode) {
        return ttls.computeIfAbsent(type + "\u0000" + tenantCode,
                k -> Optional.ofNullable(ttl.calculate(module, type, tenantCode))).orElse(null);
    }

    private static long versionOf(ObjectNode data) {
        return data == null ? 0 : data.path("version").asLong();
    }

    private static CommandStore.ItemKey commandKey(CommandStore.ItemKey entity, long version) {
        return new CommandStore.ItemKey(entity.pk(), CommandKeys.addVersion(entity.sk(), version));
    }
}
