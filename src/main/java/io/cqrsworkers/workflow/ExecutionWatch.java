package io.cqrsworkers.workflow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.aws.DynamoJson;
import io.cqrsworkers.resources.ResourceDescription;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells the owner of an execution when it ended TIMED_OUT, ABORTED or FAILED. A state machine's own timeout and
 * StopExecution cannot be caught inside Step Functions, and a worker that is not running when its execution ends
 * learns nothing, so whoever starts an execution that must not stay half done {@link #watch}es it: one row in the
 * {@value #PK} partition of the tasks table (as many rows as watched executions running; the table has no index
 * on status that a query for running work could use). The route {@code execution-watch} (a timer on every replica,
 * see {@link WorkflowRoutes}) lists them ({@link #watched}), describes each through {@code aws2-step-functions} and
 * hands each abnormal end to its machine's {@link Owner} ({@link #ended}); a row is dropped once its execution has
 * ended and the owner has been told. Owners write conditionally, so several replicas, or a sweep after a crash, act
 * once.
 */
public final class ExecutionWatch {

    /** The registry name of the one instance (bound by {@link WorkflowConfiguration}). */
    public static final String BEAN = "executionWatch";
    /** The exchange property that holds the watch row while the sweep looks at its execution. */
    public static final String ROW = "CqrsWatchRow";
    /** The exchange property that holds the execution's DescribeExecution answer. */
    public static final String DESCRIBED = "CqrsWatchDescribed";
    /** The partition of the watched executions in the tasks table. */
    static final String PK = "EXECUTION_WATCH";
    /** The table that holds the partition (logical name). */
    static final String TABLE = "tasks";
    private static final Logger LOG = LoggerFactory.getLogger(ExecutionWatch.class);

    /** What a machine's owner does with an execution that ended abnormally; it may be called again (idempotent). */
    @FunctionalInterface
    public interface Owner {
        /** @param row the watch row: {@code executionArn} and the fields given to {@link #watch} */
        void ended(ObjectNode row, Ending ending) throws Exception;
    }

    /**
     * How an execution ended.
     *
     * @param lastState the last state it entered (a Map's inner state included), null if it entered none
     * @param failState true when that state was a Fail state: the machine itself chose to fail
     */
    public record Ending(String executionArn, String status, String error, String cause, String lastState,
                         boolean failState) {

        /** "Execution ABORTED: error: cause" */
        public String describe() {
            return "Execution " + status + ": " + error + (cause.isEmpty() ? "" : ": " + cause);
        }
    }

    private final DynamoDbClient dynamo;
    private final String table;
    private final String prefix;
    private final Map<String, Owner> owners = new ConcurrentHashMap<>();

    public ExecutionWatch(DynamoDbClient dynamo, String prefix) {
        this.dynamo = dynamo;
        this.table = ResourceDescription.physical(prefix, TABLE);
        this.prefix = prefix;
    }

    /** Registers who is told about the abnormal ends of a machine's executions (logical machine name). */
    public void owner(String machine, Owner owner) {
        owners.put(machine, owner);
    }

    /**
     * Watches an execution. Call it after the start (the sweep never sees an execution that does not exist yet); a
     * crash in between must lead to the start being repeated, which then watches.
     */
    public void watch(String executionArn, Map<String, String> subject) {
        if (subject.containsKey("pk") || subject.containsKey("sk") || subject.containsKey("executionArn")) {
            throw new IllegalArgumentException("pk, sk and executionArn are the watch row's own: " + subject.keySet());
        }
        Map<String, AttributeValue> item = new HashMap<>();
        subject.forEach((k, v) -> item.put(k, AttributeValue.fromS(v)));
        item.put("pk", AttributeValue.fromS(PK));
        item.put("sk", AttributeValue.fromS(id(executionArn)));
        item.put("executionArn", AttributeValue.fromS(executionArn));
        item.put("createdAt", AttributeValue.fromS(Instant.now().toString()));
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    /** Stops watching an execution whose owner knows it has ended well (e.g. its last step ran). */
    public void unwatch(String executionArn) {
        delete(id(executionArn));
    }

    /** The watched executions (consistent reads). */
    public List<ObjectNode> watched() {
        List<ObjectNode> rows = new ArrayList<>();
        dynamo.queryPaginator(b -> b.tableName(table).consistentRead(true).keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(PK))))
                .items().forEach(item -> rows.add(DynamoJson.fromItem(item)));
        return rows;
    }

    /** The execution ARN of a watch row (the sweep's DescribeExecution). */
    public String executionArn(@Body ObjectNode row) {
        return row.path("executionArn").asText();
    }

    public boolean running(@Body DescribeExecutionResponse execution) {
        return execution.status() == ExecutionStatus.RUNNING;
    }

    public boolean succeeded(@Body DescribeExecutionResponse execution) {
        return execution.status() == ExecutionStatus.SUCCEEDED;
    }

    /**
     * An execution that ended TIMED_OUT, ABORTED or FAILED: its owner is told, then the row is dropped. Without an
     * owner the row stays (a replica that owns the machine will act on it).
     *
     * @param history the newest events first: the last state entered is near the end
     */
    public void ended(@ExchangeProperty(ROW) ObjectNode row,
                      @ExchangeProperty(DESCRIBED) DescribeExecutionResponse execution,
                      @Body GetExecutionHistoryResponse history) throws Exception {
        String machine = machine(execution.executionArn());
        Owner owner = owners.get(machine);
        if (owner == null) {
            LOG.warn("Execution {} ended {}, and nobody owns machine {}", execution.executionArn(),
                    execution.statusAsString(), machine);
            return;
        }
        owner.ended(row, ending(execution, history));
        forget(row);
    }

    /** Drops a row whose execution has ended well, or no longer exists (its history expired). */
    public void forget(@ExchangeProperty(ROW) ObjectNode row) {
        delete(row.path("sk").asText());
    }

    private static Ending ending(DescribeExecutionResponse execution, GetExecutionHistoryResponse history) {
        String lastState = null;
        boolean failState = false;
        for (HistoryEvent event : history.events()) {
            if (event.typeAsString().endsWith("StateEntered") && event.stateEnteredEventDetails() != null) {
                lastState = event.stateEnteredEventDetails().name();
                failState = "FailStateEntered".equals(event.typeAsString());
                break;
            }
        }
        return new Ending(execution.executionArn(), execution.statusAsString(),
                execution.error() != null ? execution.error() : "Execution." + execution.statusAsString(),
                execution.cause() != null ? execution.cause() : "", lastState, failState);
    }

    private void delete(String sk) {
        dynamo.deleteItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS(PK),
                "sk", AttributeValue.fromS(sk))));
    }

    /** arn:aws:states:region:account:execution:machine:name -> the machine's logical name */
    private String machine(String executionArn) {
        String[] parts = executionArn.split(":");
        String physical = parts.length > 6 ? parts[6] : "";
        return physical.startsWith(prefix) ? physical.substring(prefix.length()) : physical;
    }

    /** "machine:name", unique per execution. */
    private static String id(String executionArn) {
        String[] parts = executionArn.split(":");
        return parts.length > 7 ? parts[6] + ":" + parts[7] : executionArn;
    }
}
