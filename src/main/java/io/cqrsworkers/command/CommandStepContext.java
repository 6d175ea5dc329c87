package io.cqrsworkers.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.aws.DynamoJson;
import io.cqrsworkers.workflow.StepEvent;

/**
 * What a command step knows: the command record from the stream record that started the execution (never re-read
 * for its business data, as in the original), its module, and the step's own input.
 */
public record CommandStepContext(StepEvent event, String module, ObjectNode command) {

    /** The exchange property that holds a step's context while its route runs. */
    public static final String PROPERTY = "CqrsCommandStep";

    public static CommandStepContext of(StepEvent event, CommandTables tables) {
        JsonNode record = event.executionInput();
        String arn = record.path("eventSourceARN").asText();
        int start = arn.indexOf("table/");
        if (start < 0) {
            throw new IllegalArgumentException("Execution input has no stream record (eventSourceARN '" + arn + "')");
        }
        String rest = arn.substring(start + "table/".length());
        String table = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
        ObjectNode command = DynamoJson.fromItem(DynamoJson.fromDynamoJson(record.path("dynamodb").path("NewImage")));
        return new CommandStepContext(event, tables.moduleOfCommandTable(table), command);
    }

    public String pk() {
        return command.path("pk").asText();
    }

    public String sk() {
        return command.path("sk").asText();
    }

    public String skBase() {
        return CommandKeys.removeVersion(sk());
    }

    public long version() {
        return command.path("version").asLong();
    }

    public JsonNode input() {
        return event.input();
    }
}
