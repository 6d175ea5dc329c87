package io.cqrsworkers.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.aws.DynamoJson;
import io.cqrsworkers.json.Jackson;
import io.cqrsworkers.resources.ResourceDescription;
import io.cqrsworkers.workflow.ExecutionNames;
import org.apache.camel.Header;
import org.apache.camel.Message;
import org.apache.camel.component.aws2.ddb.Ddb2Constants;
import org.apache.camel.component.aws2.ddb.Ddb2Operations;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ComparisonOperator;
import software.amazon.awssdk.services.dynamodb.model.Condition;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The console's DynamoDB views: the command tables of each module (versions and status of each entity), the task
 * table (sub-task progress) and the import jobs (row counters, rejected rows). Each is one page: a request method
 * sets up the route's aws2-ddb Scan or Query (table, limit, the key the last page ended at), and the answer method
 * reads its items; the table's LastEvaluatedKey becomes the browser's page token, so a large table costs no more
 * than a small one.
 */
public class StoreView {

    public static final String BEAN = "consoleStore";
    public static final String COMMAND_MACHINE = "command-handler";
    static final int PAGE = 50;
    static final String TASKS = "tasks";
    static final String IMPORTS = "import_tmp";
    private static final List<String> IMPORT_KINDS = List.of("CSV_IMPORT#", "IMPORT#");

    private final SfnClient sfn;
    private final String prefix;
    private final ResourceDescription resources;

    public StoreView(SfnClient sfn, String prefix, ResourceDescription resources) {
        this.sfn = sfn;
        this.prefix = prefix;
        this.resources = resources;
    }

    /** The modules of infra/resources.yaml and the steps a command goes through (its status chain). */
    public JsonNode modules() {
        ObjectNode answer = Jackson.MAPPER.createObjectNode();
        ArrayNode modules = answer.putArray("modules");
        resources.modules().forEach(modules::add);
        ArrayNode chain = answer.putArray("chain");
        String machineArn = commandMachineArn();
        String definition = sfn.describeStateMachine(b -> b.stateMachineArn(machineArn)).definition();
        JsonNode parsed = parse(definition);
        // the worker steps in definition order, without the error handlers that only a Catch leads to
        java.util.Set<String> handlers = new java.util.HashSet<>();
        parsed.path("States").forEach(state -> state.path("Catch").forEach(c -> handlers.add(c.path("Next").asText())));
        parsed.path("States").fieldNames().forEachRemaining(name -> {
            if ("Task".equals(parsed.path("States").path(name).path("Type").asText()) && !handlers.contains(name)) {
                chain.add(name);
            }
        });
        answer.put("machineArn", machineArn);
        return answer;
    }

    /**
     * Sets up the aws2-ddb call for one page of a module's commands: a Scan of {@code <module>-command}, or a Query
     * of one partition when {@code pk} is given, from where the last page ended.
     */
    public void commandsRequest(@Header("module") String module, @Header("pk") String pk,
                                @Header("nextToken") String token, Message message) {
        if (module == null || !resources.modules().contains(module)) {
            throw new ConsoleException(404, "No module '" + module + "' in " + ResourceDescription.LOCATION);
        }
        page(message, prefix + ResourceDescription.moduleTable(module, "command"), token);
        if (pk != null && !pk.isBlank()) {
            message.setHeader(Ddb2Constants.OPERATION, Ddb2Operations.Query);
            message.setHeader(Ddb2Constants.KEY_CONDITIONS, Map.of("pk", Condition.builder()
                    .comparisonOperator(ComparisonOperator.EQ).attributeValueList(AttributeValue.fromS(pk.trim())).build()));
        }
    }

    /**
     * The page read: each entity (pk and sk without version) with its versions and their status, the newest first,
     * and the execution name of each version.
     */
    public JsonNode commands(@Header("module") String module, @Header(Ddb2Constants.ITEMS) List<Map<String, AttributeValue>> items,
                             @Header(Ddb2Constants.LAST_EVALUATED_KEY) Map<String, AttributeValue> last) {
        Map<String, ObjectNode> entities = new LinkedHashMap<>();
        for (Map<String, AttributeValue> item : items) {
            ObjectNode row = DynamoJson.fromItem(item);
            String sk = row.path("sk").asText();
            int at = sk.lastIndexOf('@');
            String base = at < 0 ? sk : sk.substring(0, at);
            ObjectNode entity = entities.computeIfAbsent(row.path("pk").asText() + "\n" + base, k -> {
                ObjectNode e = Jackson.MAPPER.createObjectNode().put("pk", row.path("pk").asText()).put("sk", base);
                e.putArray("versions");
                return e;
            });
            ObjectNode version = Jackson.MAPPER.createObjectNode()
                    .put("sk", sk).put("version", row.path("version").asLong())
                    .put("status", row.path("status").asText(null))
                    .put("name", row.path("name").asText(null))
                    .put("updatedAt", row.path("updatedAt").asText(null))
                    .put("executionName", ExecutionNames.of(module, row.path("pk").asText(), sk));
            for (String field : List.of("error", "cause", "executionStatus")) {
                if (row.hasNonNull(field)) {
                    version.set(field, row.get(field));
                }
            }
            ((ArrayNode) entity.get("versions")).add(version);
        }
        ObjectNode answer = Jackson.MAPPER.createObjectNode();
        ArrayNode list = answer.putArray("commands");
        for (ObjectNode entity : entities.values()) {
            List<JsonNode> versions = new ArrayList<>();
            entity.get("versions").forEach(versions::add);
            versions.sort((a, b) -> Long.compare(b.path("version").asLong(), a.path("version").asLong()));
            entity.putArray("versions").addAll(versions);
            list.add(entity);
        }
        return token(answer, last);
    }

    /** Sets up the aws2-ddb Scan of one page of the task table. */
    public void tasksRequest(@Header("nextToken") String token, Message message) {
        page(message, prefix + TASKS, token);
    }

    /** The page read: tasks and sub-tasks with their status and sub-task counters. */
    public JsonNode tasks(@Header(Ddb2Constants.ITEMS) List<Map<String, AttributeValue>> items,
                          @Header(Ddb2Constants.LAST_EVALUATED_KEY) Map<String, AttributeValue> last) {
        ObjectNode answer = Jackson.MAPPER.createObjectNode();
        ArrayNode list = answer.putArray("tasks");
        for (Map<String, AttributeValue> item : items) {
            ObjectNode row = DynamoJson.fromItem(item);
            ObjectNode task = Jackson.MAPPER.createObjectNode();
            for (String field : List.of("pk", "sk", "type", "name", "status", "tenantCode", "updatedAt")) {
                task.set(field, row.get(field));
            }
            JsonNode attributes = row.path("attributes");
            for (String counter : List.of("subTaskCount", "subTaskSucceedCount", "subTaskFailedCount",
                    "subTaskRunningCount", "executionArn")) {
                if (attributes.has(counter)) {
                    task.set(counter, attributes.get(counter));
                }
            }
            list.add(task);
        }
        return token(answer, last);
    }

    /** Sets up the aws2-ddb Scan of one page of import_tmp, import rows only (not their counting marks). */
    public void importsRequest(@Header("nextToken") String token, Message message) {
        page(message, prefix + IMPORTS, token);
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> conditions = new ArrayList<>();
        for (int i = 0; i < IMPORT_KINDS.size(); i++) {
            values.put(":p" + i, AttributeValue.fromS(IMPORT_KINDS.get(i)));
            conditions.add("begins_with(pk, :p" + i + ")");
        }
        message.setHeader(Ddb2Constants.FILTER_EXPRESSION, String.join(" OR ", conditions));
        message.setHeader(Ddb2Constants.FILTER_EXPRESSION_ATTRIBUTE_VALUES, values);
    }

    /** The page read: import jobs and single-row imports with their counters and rejected rows (row number, reason). */
    public JsonNode imports(@Header(Ddb2Constants.ITEMS) List<Map<String, AttributeValue>> items,
                            @Header(Ddb2Constants.LAST_EVALUATED_KEY) Map<String, AttributeValue> last) {
        ObjectNode answer = Jackson.MAPPER.createObjectNode();
        ArrayNode list = answer.putArray("imports");
        for (Map<String, AttributeValue> item : items) {
            ObjectNode row = DynamoJson.fromItem(item);
            ObjectNode job = Jackson.MAPPER.createObjectNode();
            for (String field : List.of("pk", "sk", "type", "status", "tenantCode", "createdAt", "updatedAt",
                    "totalRows", "readRows", "queuedRows", "processedRows", "succeededRows", "failedRows",
                    "readerDone", "readerError", "rowErrors", "result")) {
                if (row.has(field)) {
                    job.set(field, row.get(field));
                }
            }
            job.put("kind", row.path("pk").asText().startsWith("CSV_IMPORT#") ? "csv" : "row");
            list.add(job);
        }
        return token(answer, last);
    }

    /** The headers of a one-page Scan of {@code table} starting after the page token's key. */
    private static void page(Message message, String table, String token) {
        message.setHeader(Ddb2Constants.TABLE_NAME, table);
        message.setHeader(Ddb2Constants.OPERATION, Ddb2Operations.Scan);
        message.setHeader(Ddb2Constants.LIMIT, PAGE);
        JsonNode cursor = PageToken.decode(token);
        if (cursor != null) {
            message.setHeader(Ddb2Constants.START_KEY, DynamoJson.fromDynamoJson(cursor));
        }
    }

    private static ObjectNode token(ObjectNode answer, Map<String, AttributeValue> last) {
        if (last != null && !last.isEmpty()) {
            answer.put("nextToken", PageToken.encode(DynamoJson.toDynamoJson(last)));
        }
        return answer;
    }

    private String commandMachineArn() {
        String name = prefix + COMMAND_MACHINE;
        return sfn.listStateMachinesPaginator(b -> b.maxResults(1000)).stateMachines().stream()
                .filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new ConsoleException(404, "No state machine " + name)).stateMachineArn();
    }

    private static JsonNode parse(String json) {
        try {
            return Jackson.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new ConsoleException(502, "The state machine's definition is not JSON: " + e.getMessage());
        }
    }
}
