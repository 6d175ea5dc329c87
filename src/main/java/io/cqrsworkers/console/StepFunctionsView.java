package io.cqrsworkers.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.json.Jackson;
import org.apache.camel.Header;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.ListExecutionsResponse;
import software.amazon.awssdk.services.sfn.model.MapRunListItem;
import software.amazon.awssdk.services.sfn.model.StateMachineListItem;

import java.util.List;
import java.util.Locale;

/**
 * The console's Step Functions reads, with the same API calls against the embedded engine and against AWS:
 * ListStateMachines, ListExecutions (status filter, paging on the server), DescribeExecution,
 * DescribeStateMachineForExecution (the definition the execution ran), GetExecutionHistory, ListMapRuns and
 * DescribeMapRun.
 */
public class StepFunctionsView {

    public static final String BEAN = "consoleStepFunctions";
    public static final int DEFAULT_PAGE = 50;
    public static final int MAX_PAGE = 200;
    /** A name filter reads the executions in pages of this size (ListExecutions has no name filter). */
    static final int SCAN_PAGE = 1000;
    /** At most this many executions are read for one filtered page; the rest follows with its token. */
    static final int SCAN_LIMIT = 20_000;
    /** Events read for one execution; a longer history is marked truncated. */
    static final int HISTORY_LIMIT = 10_000;

    private final SfnClient sfn;
    private final String prefix;

    public StepFunctionsView(SfnClient sfn, String prefix) {
        this.sfn = sfn;
        this.prefix = prefix;
    }

    /** Every state machine: ARN, name, name without the environment prefix, type. */
    public JsonNode machines() {
        ArrayNode machines = Jackson.MAPPER.createArrayNode();
        for (StateMachineListItem machine : sfn.listStateMachinesPaginator(b -> b.maxResults(1000)).stateMachines()) {
            ObjectNode m = SdkJson.of(machine);
            m.put("label", machine.name().startsWith(prefix) ? machine.name().substring(prefix.length())
                    : machine.name());
            machines.add(m);
        }
        return Jackson.MAPPER.createObjectNode().set("stateMachines", machines);
    }

    /**
     * One page of a machine's executions, newest first. Without a name filter this is one ListExecutions call; with
     * one, pages of {@value #SCAN_PAGE} are read and filtered here, and the token remembers where the page ended.
     */
    public JsonNode executions(@Header("machine") String machine, @Header("status") String status,
                               @Header("name") String name, @Header("nextToken") String token,
                               @Header("pageSize") Integer pageSize) {
        String machineArn = required(machine, "machine");
        ExecutionStatus statusFilter = status(status);
        int size = pageSize == null ? DEFAULT_PAGE : Math.max(1, Math.min(MAX_PAGE, pageSize));
        ObjectNode answer = Jackson.MAPPER.createObjectNode();
        ArrayNode page = answer.putArray("executions");
        if (name == null || name.isBlank()) {
            JsonNode cursor = PageToken.decode(token);
            ListExecutionsResponse response = sfn.listExecutions(b -> b.stateMachineArn(machineArn)
                    .statusFilter(statusFilter).maxResults(size)
                    .nextToken(cursor == null ? null : cursor.path("t").asText(null)));
            response.executions().forEach(e -> page.add(SdkJson.of(e)));
            if (response.nextToken() != null) {
                answer.put("nextToken", PageToken.encode(Jackson.MAPPER.createObjectNode()
                        .put("t", response.nextToken())));
            }
            return answer;
        }
        String needle = name.trim().toLowerCase(Locale.ROOT);
        JsonNode cursor = PageToken.decode(token);
        String sfnToken = cursor == null ? null : cursor.path("t").asText(null);
        int skip = cursor == null ? 0 : cursor.path("s").asInt();
        int scanned = 0;
        while (true) {
            String from = sfnToken;
            ListExecutionsResponse response = sfn.listExecutions(b -> b.stateMachineArn(machineArn)
                    .statusFilter(statusFilter).maxResults(SCAN_PAGE).nextToken(from));
            List<ExecutionListItem> items = response.executions();
            for (int i = skip; i < items.size(); i++) {
                if (items.get(i).name().toLowerCase(Locale.ROOT).contains(needle)) {
                    page.add(SdkJson.of(items.get(i)));
                    if (page.size() == size) {
                        if (i + 1 < items.size() || response.nextToken() != null) {
                            answer.put("nextToken", PageToken.encode(Jackson.MAPPER.createObjectNode()
                                    .put("t", from).put("s", i + 1)));
                        }
                        return answer;
                    }
                }
            }
            scanned += items.size() - skip;
            skip = 0;
            sfnToken = response.nextToken();
            if (sfnToken == null) {
                return answer;
            }
            if (scanned >= SCAN_LIMIT) {
                answer.put("nextToken", PageToken.encode(Jackson.MAPPER.createObjectNode().put("t", sfnToken)));
                answer.put("scanned", scanned);
                return answer;
            }
        }
    }

    /**
     * An execution with everything its page shows: the description, the definition it ran, its history (each event
     * with the state it belongs to), what happened to each state, and its distributed maps' runs.
     */
    public JsonNode execution(@Header("arn") String arn) {
        String executionArn = required(arn, "arn");
        DescribeExecutionResponse described = sfn.describeExecution(b -> b.executionArn(executionArn));
        ObjectNode answer = Jackson.MAPPER.createObjectNode();
        answer.set("execution", SdkJson.of(described));
        String definitionText = sfn.describeStateMachineForExecution(b -> b.executionArn(executionArn)).definition();
        JsonNode definition = parse(definitionText);
        answer.set("definition", definition);

        ArrayNode events = answer.putArray("events");
        String token = null;
        do {
            String from = token;
            GetExecutionHistoryResponse page = sfn.getExecutionHistory(b -> b.executionArn(executionArn)
                    .maxResults(1000).includeExecutionData(true).nextToken(from));
            for (HistoryEvent event : page.events()) {
                events.add(SdkJson.of(event));
            }
            token = page.nextToken();
        } while (token != null && events.size() < HISTORY_LIMIT);
        answer.put("historyTruncated", token != null);
        answer.set("states", ExecutionStates.derive(definition, events, described.statusAsString()));

        ArrayNode mapRuns = answer.putArray("mapRuns");
        for (MapRunListItem run : sfn.listMapRunsPaginator(b -> b.executionArn(executionArn)).mapRuns()) {
            mapRuns.add(SdkJson.of(sfn.describeMapRun(b -> b.mapRunArn(run.mapRunArn()))));
        }
        return answer;
    }

    /** A distributed map's run: its counters and one page of its child executions. */
    public JsonNode mapRun(@Header("arn") String arn, @Header("status") String status,
                           @Header("nextToken") String token) {
        String mapRunArn = required(arn, "arn");
        ObjectNode answer = Jackson.MAPPER.createObjectNode();
        answer.set("mapRun", SdkJson.of(sfn.describeMapRun(b -> b.mapRunArn(mapRunArn))));
        ListExecutionsResponse children = sfn.listExecutions(b -> b.mapRunArn(mapRunArn).statusFilter(status(status))
                .maxResults(DEFAULT_PAGE).nextToken(token == null || token.isBlank() ? null : token));
        ArrayNode page = answer.putArray("executions");
        children.executions().forEach(e -> page.add(SdkJson.of(e)));
        if (children.nextToken() != null) {
            answer.put("nextToken", children.nextToken());
        }
        return answer;
    }

    private static ExecutionStatus status(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        ExecutionStatus parsed = ExecutionStatus.fromValue(status.trim().toUpperCase(Locale.ROOT));
        if (parsed == ExecutionStatus.UNKNOWN_TO_SDK_VERSION) {
            throw new ConsoleException(400, "Unknown execution status '" + status + "'");
        }
        return parsed;
    }

    private static JsonNode parse(String json) {
        try {
            return Jackson.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new ConsoleException(502, "The state machine's definition is not JSON: " + e.getMessage());
        }
    }

    static String required(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new ConsoleException(400, "Query parameter '" + name + "' is required");
        }
        return value.trim();
    }
}
