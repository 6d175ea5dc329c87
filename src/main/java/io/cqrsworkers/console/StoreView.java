package io.cqrsworkers.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.aws.DynamoJson;
import io.cqrsworkers.json.Jackson;
import io.cqrsworkers.resources.ResourceDescription;
import io.cqrsworkers.stream.ExecutionNames;
import org.apache.camel.Header;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The console's DynamoDB reads: the command tables of each module (versions and status of each entity), the task
 * table (sub-task progress) and the import jobs (row counters, rejected rows). One page per request, paged with the
 * table's own LastEvaluatedKey, so a large table costs no more than a small one.
 */
public class StoreView {

    public static final String BEAN = "consoleStore";
    public static final String COMMAND_MACHINE = "command-handler";
    static final int PAGE = 50;
    private static final List<String> IMPORT_KINDS = List.of("CSV_IMPORT#", "IMPORT#");

    private final DynamoDbClient dynamoDb;
    private final SfnClient sfn;
    private final String prefix;
    private final ResourceDescription resources;

    public StoreView(DynamoDbClient dynamoDb, SfnClient sfn, String prefix, ResourceDescription resources) {
        this.dynamoDb = dynamoDb;
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
     * One page of a module's commands: each entity (pk and sk without version) with its versions and their status,
     * the newest first, and the execution name of each version. {@code pk} narrows it to one partition.
     */
    public JsonNode commands(@Header("module") String module, @Header("pk") String pk,
                             @Header("nextToken") String token) {
        if (module == null || !resources.modules().contains(module)) {
            throw new ConsoleException(404, "No module '" + module + "' in " + ResourceDescription.LOCATION);
        }
        String table = prefix + ResourceDescription.moduleTable(module, "command");
        Rows rows = pk == null || pk.isBlank() ? scan(table, token, null)
                : query(table, pk.trim(), token);
        Map<String, ObjectNode> entities = new LinkedHashMap<>();
        for (ObjectNode row : rows.items) {
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
        rows.token(answer);
        return answer;
    }

    /** One page of the task table: tasks and sub-tasks with their status and sub-task counters. */
    public JsonNode tasks(@Header("nextToken") String token) {
        Rows rows = scan(prefix + "tasks", token, null);
        ObjectNode answer = Jackson.MAPPER.createObjectNode();
        ArrayNode list = answer.putArray("tasks");
        for (ObjectNode row : rows.items) {
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
        rows.token(answer);
        return answer;
    }

    /** One page of import jobs and single-row imports, with their counters and rejected rows (line and reason). */
    public JsonNode imports(@Header("nextToken") String token) {
        Rows rows = scan(prefix + "import_tmp", token, IMPORT_KINDS);
        ObjectNode answer = Jackson.MAPPER.createObjectNode();
        ArrayNode list = answer.putArray("imports");
        for (ObjectNode row : rows.items) {
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
        rows.token(answer);
        return answer;
    }

    private String commandMachineArn() {
        String name = prefix + COMMAND_MACHINE;
        return sfn.listStateMachinesPaginator(b -> b.maxResults(1000)).stateMachines().stream()
                .filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new ConsoleException(404, "No state machine " + name)).stateMachineArn();
    }

    /** A page of items and where the next one starts. */
    private record Rows(List<ObjectNode> items, Map<String, AttributeValue> last) {
        void token(ObjectNode answer) {
            if (last != null && !last.isEmpty()) {
                answer.put("nextToken", PageToken.encode(DynamoJson.toDynamoJson(last)));
            }
        }
    }

    /** A page of the table; with {@code pkPrefixes}, only items whose pk starts with one of them. */
    private Rows scan(String table, String token, List<String> pkPrefixes) {
        ScanRequest.Builder request = ScanRequest.builder().tableName(table).limit(PAGE)
                .exclusiveStartKey(start(token));
        if (pkPrefixes != null) {
            Map<String, AttributeValue> values = new HashMap<>();
            List<String> conditions = new ArrayList<>();
            for (int i = 0; i < pkPrefixes.size(); i++) {
                values.put(":p" + i, AttributeValue.fromS(pkPrefixes.get(i)));
                conditions.add("begins_with(pk, :p" + i + ")");
            }
            request.filterExpression(String.join(" OR ", conditions)).expressionAttributeValues(values);
        }
        ScanResponse response = dynamoDb.scan(request.build());
        return new Rows(response.items().stream().map(DynamoJson::fromItem).toList(),
                response.hasLastEvaluatedKey() ? response.lastEvaluatedKey() : null);
    }

    private Rows query(String table, String pk, String token) {
        QueryResponse response = dynamoDb.query(QueryRequest.builder().tableName(table).limit(PAGE)
                .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk)))
                .exclusiveStartKey(start(token)).build());
        return new Rows(response.items().stream().map(DynamoJson::fromItem).toList(),
                response.hasLastEvaluatedKey() ? response.lastEvaluatedKey() : null);
    }

    private static Map<String, AttributeValue> start(String token) {
        JsonNode cursor = PageToken.decode(token);
        return cursor == null ? null : DynamoJson.fromDynamoJson(cursor);
    }

    private static JsonNode parse(String json) {
        try {
            return Jackson.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new ConsoleException(502, "The state machine's definition is not JSON: " + e.getMessage());
        }
    }
}
