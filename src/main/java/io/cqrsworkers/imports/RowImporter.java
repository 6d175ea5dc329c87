package io.cqrsworkers.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.command.CommandService;
import io.cqrsworkers.command.PublishOptions;

/**
 * Applies one transformed and validated row with its table's strategy: compare, then EQUAL is skipped, NOT_EXIST is
 * published and CHANGED is published as a partial update, synchronously or through the command workflow as the
 * strategy's publish mode says, with the import as the command's source. Applying a row twice changes nothing the
 * second time (it compares EQUAL, or its command is not dirty).
 */
public final class RowImporter {

    private static final ObjectMapper JSON = new ObjectMapper();

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
        PublishOptions options = new PublishOptions(target.sourceId(), null, "import", null,
                strategies.publishMode(target.tableName()) == ImportStrategies.PublishMode.SYNC);
        return comparison == Comparison.NOT_EXIST
                ? commands.publish(target.tableName(), command, options).command()
                : commands.publishPartial(target.tableName(), command, options).command();
    }
}
