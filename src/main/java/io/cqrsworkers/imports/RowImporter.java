package io.cqrsworkers.imports;

import io.cqrsworkers.json.Jackson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.command.CommandKeys;
import io.cqrsworkers.command.CommandService;
import io.cqrsworkers.command.CommandStore;
import io.cqrsworkers.command.PublishOptions;
import io.cqrsworkers.command.SyncBatch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Applies transformed and validated rows with their table's strategy: compare, then EQUAL is skipped, NOT_EXIST is
 * published and CHANGED is published as a partial update, synchronously or through the command workflow as the
 * strategy's publish mode says, with the import as the command's source. Applying a row twice changes nothing the
 * second time (it compares EQUAL, or its command is not dirty).
 */
public final class RowImporter {

    public static final String BEAN = "rowImporter";

    private static final ObjectMapper JSON = Jackson.MAPPER;

    private final ImportStrategies strategies;
    private final CommandService commands;

    public RowImporter(ImportStrategies strategies, CommandService commands) {
        this.strategies = strategies;
        this.commands = commands;
    }

    /** @return {@code {status:"EQUAL",message}} for a skipped row, else the published command */
    public JsonNode apply(ImportTarget target, JsonNode row) {
        Comparison comparison = strategies.compare(target, row);
        if (comparison == Comparison.EQUAL) {
            return JSON.createObjectNode().put("status", "EQUAL").put("message", "No changes detected.");
        }
        ObjectNode command = strategies.map(target, row, comparison);
        PublishOptions options = options(target, strategies.publishMode(target.tableName())
                == ImportStrategies.PublishMode.SYNC);
        return comparison == Comparison.NOT_EXIST
                ? commands.publish(target.tableName(), command, options).command()
                : commands.publishPartial(target.tableName(), command, options).command();
    }

    /**
     * Applies rows in order, as {@link #apply} one by one would. With synchronous publishing and the built-in
     * comparison, the rows are compared and written together ({@link SyncBatch}): a few calls per batch instead of
     * about eight per row.
     *
     * @return each row's error, null for a row applied or skipped; failures worth another delivery are thrown
     */
    public List<RuntimeException> applyAll(ImportTarget target, List<JsonNode> rows) {
        RuntimeException[] errors = new RuntimeException[rows.size()];
        if (strategies.publishMode(target.tableName()) != ImportStrategies.PublishMode.SYNC
                || strategies.endpoint(target, "compare").isPresent()) {
            for (int i = 0; i < rows.size(); i++) {
                try {
                    apply(target, rows.get(i));
                } catch (RuntimeException e) {
                    errors[i] = rowError(e);
                }
            }
            return Arrays.asList(errors);
        }
        SyncBatch batch = commands.syncBatch(target.tableName(), options(target, true));
        ObjectNode[] mapped = new ObjectNode[rows.size()];
        List<CommandStore.ItemKey> keys = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            try {
                mapped[i] = strategies.map(target, rows.get(i), Comparison.NOT_EXIST);
                if (keyed(mapped[i])) {
                    keys.add(key(mapped[i]));
                }
            } catch (RuntimeException e) {
                errors[i] = rowError(e);
            }
        }
        batch.load(keys);
        List<Integer> added = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (mapped[i] == null) {
                continue;
            }
            try {
                // an unkeyed command goes on to be refused by the publish's validation, with its reasons
                CommandStore.ItemKey key = keyed(mapped[i]) ? key(mapped[i]) : null;
                Comparison comparison = key != null
                        ? ImportStrategies.compare(batch.data(key.pk(), key.sk()), mapped[i]) : Comparison.NOT_EXIST;
                if (comparison == Comparison.EQUAL) {
                    continue;
                }
                ObjectNode command = comparison == Comparison.NOT_EXIST ? mapped[i]
                        : strategies.map(target, rows.get(i), comparison);
                batch.add(command, comparison == Comparison.CHANGED);
                added.add(i);
            } catch (RuntimeException e) {
                errors[i] = rowError(e);
            }
        }
        List<SyncBatch.Outcome> outcomes = batch.flush();
        for (int j = 0; j < outcomes.size(); j++) {
            if (outcomes.get(j).error() != null) {
                errors[added.get(j)] = rowError(outcomes.get(j).error());
            }
        }
        return Arrays.asList(errors);
    }

    private static boolean keyed(ObjectNode command) {
        return command.path("pk").isTextual() && command.path("sk").isTextual();
    }

    private static CommandStore.ItemKey key(ObjectNode command) {
        return new CommandStore.ItemKey(command.get("pk").asText(), CommandKeys.removeVersion(command.get("sk").asText()));
    }

    /** The row's own fault, to count; anything worth another delivery of the message is thrown. */
    private static RuntimeException rowError(RuntimeException e) {
        if (RowFailures.isTransient(e)) {
            throw e;
        }
        return e;
    }

    private static PublishOptions options(ImportTarget target, boolean sync) {
        return new PublishOptions(target.sourceId(), null, "import", null, sync);
    }
}
