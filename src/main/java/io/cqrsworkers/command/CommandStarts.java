package io.cqrsworkers.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.aws.DynamoJson;
import io.cqrsworkers.json.Jackson;
import io.cqrsworkers.workflow.ExecutionNames;
import io.cqrsworkers.workflow.ExecutionWatch;
import io.cqrsworkers.workflow.StartExecution;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.apache.camel.Message;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The beans of the command stream routes: which records start a workflow, the execution's input and name, and the
 * watch on the execution once it started.
 */
public final class CommandStarts {

    /** The registry name of the bean. */
    public static final String BEAN = "commandStarts";
    /** The command's keys, for the watch after the start. */
    public static final String PK_HEADER = "CqrsCommandPk";
    public static final String SK_HEADER = "CqrsCommandSk";

    private final CommandTables tables;
    private final DynamoDbClient dynamo;
    private final ExecutionWatch watch;
    private final Map<String, String> streamArns = new ConcurrentHashMap<>();

    public CommandStarts(CommandTables tables, DynamoDbClient dynamo, ExecutionWatch watch) {
        this.tables = tables;
        this.dynamo = dynamo;
        this.watch = watch;
    }

    /** An INSERT of an asynchronous publish (a synchronous one, syncMode SYNC, is applied already). */
    public boolean startsWorkflow(@Body Record record) {
        AttributeValue syncMode = record.dynamodb().hasNewImage() ? record.dynamodb().newImage().get("syncMode") : null;
        return "INSERT".equals(record.eventNameAsString()) && (syncMode == null || !"SYNC".equals(syncMode.s()));
    }

    /**
     * The execution input (the record as Lambda receives it), with the headers of {@link StartExecution}: the
     * command machine and a name derived from module, pk and sk, so a redelivered record starts nothing new.
     */
    public String execution(@Body Record record, @Header(CommandStreamRoutes.MODULE_HEADER) String module,
                            Message message) {
        Map<String, AttributeValue> keys = record.dynamodb().keys();
        String pk = keys.get("pk").s();
        String sk = keys.get("sk").s();
        message.setHeader(StartExecution.MACHINE, CommandWorkerRoutes.MACHINE);
        message.setHeader(StartExecution.NAME, ExecutionNames.of(module, pk, sk));
        message.setHeader(PK_HEADER, pk);
        message.setHeader(SK_HEADER, sk);
        return lambdaRecord(record, streamArn(tables.table(module, CommandTables.COMMAND))).toString();
    }

    /**
     * Watches the started execution (body: its ARN). After the start: a record delivered again (a crash in between)
     * watches the same execution, which may have ended meanwhile; the watch then acts on its end at once.
     */
    public void watch(@Body String executionArn, @Header(CommandStreamRoutes.MODULE_HEADER) String module,
                      @Header(PK_HEADER) String pk, @Header(SK_HEADER) String sk) {
        watch.watch(executionArn, CommandExecutionEnds.subject(module, pk, sk));
    }

    /** The record carries no stream ARN; the table's is looked up once. */
    private String streamArn(String table) {
        return streamArns.computeIfAbsent(table, t -> dynamo.describeTable(b -> b.tableName(t)).table()
                .latestStreamArn());
    }

    /** The record as a Lambda event source mapping delivers it (the original's execution input). */
    static ObjectNode lambdaRecord(Record record, String streamArn) {
        ObjectNode event = Jackson.MAPPER.createObjectNode()
                .put("source", streamArn)
                .put("eventSourceARN", streamArn)
                .put("eventID", record.eventID())
                .put("eventName", record.eventNameAsString())
                .put("eventVersion", record.eventVersion())
                .put("eventSource", record.eventSource())
                .put("awsRegion", record.awsRegion());
        StreamRecord stream = record.dynamodb();
        ObjectNode dynamodb = event.putObject("dynamodb");
        dynamodb.set("Keys", DynamoJson.toDynamoJson(stream.keys()));
        if (stream.hasNewImage()) {
            dynamodb.set("NewImage", DynamoJson.toDynamoJson(stream.newImage()));
        }
        dynamodb.put("SequenceNumber", stream.sequenceNumber());
        dynamodb.put("SizeBytes", stream.sizeBytes());
        dynamodb.put("StreamViewType", stream.streamViewTypeAsString());
        if (stream.approximateCreationDateTime() != null) {
            dynamodb.put("ApproximateCreationDateTime", stream.approximateCreationDateTime().getEpochSecond());
        }
        return event;
    }
}
