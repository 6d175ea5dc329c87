package io.cqrsworkers.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.aws.AwsClients;
import io.cqrsworkers.aws.DynamoJson;
import io.cqrsworkers.stream.ExecutionNames;
import io.cqrsworkers.workflow.StateMachines;
import io.cqrsworkers.workflow.StreamUris;
import org.apache.camel.builder.RouteBuilder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every INSERT on a module's command table (except synchronous publishes) starts the command state machine with
 * the stream record, in the shape Lambda receives it, under a name derived from pk, sk and version, and watches
 * the execution (see {@link CommandExecutionEnds}).
 */
public class CommandStreamRoutes extends RouteBuilder {

    /** Starts the command workflow for a stream record (body) of the module in header {@value #MODULE_HEADER}. */
    public static final String START = "direct:command-start";
    public static final String MODULE_HEADER = "CqrsModule";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void configure() {
        CommandModule module = CommandModule.of(getContext());
        AwsClients aws = getContext().getRegistry().lookupByNameAndType("awsClients", AwsClients.class);
        StateMachines machines = module.machines();
        Map<String, String> streamArns = new ConcurrentHashMap<>();

        for (String name : module.tables().modules()) {
            String table = module.tables().table(name, CommandTables.COMMAND);
            from(StreamUris.of(getContext(), table, "workers-" + name + "-command"))
                    .routeId("command-stream-" + name)
                    .filter(e -> {
                        Record record = e.getMessage().getBody(Record.class);
                        AttributeValue syncMode = record.dynamodb().newImage() == null ? null
                                : record.dynamodb().newImage().get("syncMode");
                        return "INSERT".equals(record.eventNameAsString())
                                && (syncMode == null || !"SYNC".equals(syncMode.s()));
                    })
                    .setHeader(MODULE_HEADER, constant(name))
                    .to(START);
        }

        from(START).routeId("command-start")
                .process(e -> {
                    String name = e.getMessage().getHeader(MODULE_HEADER, String.class);
                    String table = module.tables().table(name, CommandTables.COMMAND);
                    Record record = e.getMessage().getBody(Record.class);
                    String arn = streamArns.computeIfAbsent(table, t -> aws.dynamoDb()
                            .describeTable(b -> b.tableName(t)).table().latestStreamArn());
                    Map<String, AttributeValue> keys = record.dynamodb().keys();
                    String executionName = ExecutionNames.of(name, keys.get("pk").s(), keys.get("sk").s());
                    String executionArn = machines.start(CommandWorkerRoutes.MACHINE, executionName,
                            lambdaRecord(record, arn).toString());
                    // after the start; a record delivered again (a crash in between) watches the same execution,
                    // which may have ended meanwhile: the watch then acts on its end at once
                    module.watch(executionArn != null ? executionArn
                                    : machines.executionArn(CommandWorkerRoutes.MACHINE, executionName),
                            name, keys.get("pk").s(), keys.get("sk").s());
                    e.getMessage().setBody(executionArn);
                });
    }

    /** The record as a Lambda event source mapping delivers it (the original's execution input). */
    static ObjectNode lambdaRecord(Record record, String streamArn) {
        ObjectNode event = JSON.createObjectNode()
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
