package io.cqrsworkers.command.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.aws.DynamoJson;
import io.cqrsworkers.config.AppConfiguration;
import io.cqrsworkers.json.Jackson;
import io.cqrsworkers.workflow.ExecutionNames;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reference scenarios 12 (a command INSERT starts the command state machine) and 13 (other records start nothing).
 * <p>
 * Differences from the original, as documented: the execution name is deterministic (module, pk, versioned sk:
 * {@link ExecutionNames}), so a record delivered again starts no second execution; a name that needs sanitising or
 * would be longer than 80 characters keeps a readable prefix and ends with a hash, instead of a random suffix or no
 * name at all. The module is {@code sample} (the modules are those of infra/resources.yaml), not {@code table_name}.
 * Records of other tables never reach the command route: each module's command table has a stream route of its own.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
class StreamStartScenariosTest extends ScenarioSupport {

    private static final String START = "direct:command-start";

    @Override
    protected boolean readsTheStreams() {
        return true;
    }

    /** The stream record of an INSERT of this command, as the stream endpoint delivers it. */
    private static Record insert(ObjectNode command) {
        Map<String, AttributeValue> image = DynamoJson.toItem(command);
        return Record.builder().eventID(UUID.randomUUID().toString()).eventName(OperationType.INSERT)
                .eventVersion("1.1").eventSource("aws:dynamodb").awsRegion("us-east-1")
                .dynamodb(StreamRecord.builder()
                        .keys(Map.of("pk", image.get("pk"), "sk", image.get("sk")))
                        .newImage(image).sequenceNumber("100000000000000000001").sizeBytes(400L)
                        .streamViewType(StreamViewType.NEW_IMAGE)
                        .approximateCreationDateTime(Instant.ofEpochSecond(1726027976L)).build())
                .build();
    }

    private String machineArn() {
        return aws.sfn().listStateMachines().stateMachines().stream()
                .filter(m -> m.name().equals(prefix() + "command-handler")).findFirst().orElseThrow().stateMachineArn();
    }

    private DescribeExecutionResponse execution(String name) {
        return await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> aws.sfn().describeExecution(
                b -> b.executionArn(machineArn().replace(":stateMachine:", ":execution:") + ":" + name)), e -> true);
    }

    private void startFromStream(ObjectNode command) {
        producer.sendBodyAndHeader(START, insert(command), "CqrsModule", MODULE);
    }

    /** 12: the INSERT of pk tenantCode#test, sk 1726027976@1 starts the command machine with the JSON event. */
    @Test
    void aCommandInsertStartsTheCommandStateMachine() throws Exception {
        ObjectNode command = command("tenantCode#test", "1726027976", 1);
        putCommandRow(command);

        startFromStream(command);

        String name = ExecutionNames.of(MODULE, "tenantCode#test", "1726027976@1");
        assertThat(name).matches("sample_tenantCode_test_1726027976_1-[0-9a-f]{32}");
        DescribeExecutionResponse started = execution(name);
        assertThat(started.stateMachineArn()).isEqualTo(machineArn());
        JsonNode input = Jackson.MAPPER.readTree(started.input());
        String streamArn = aws.dynamoDb().describeTable(b -> b.tableName(table("command"))).table().latestStreamArn();
        assertThat(input.path("eventName").asText()).isEqualTo("INSERT");
        assertThat(input.path("eventSourceARN").asText()).isEqualTo(streamArn);
        assertThat(input.path("source").asText()).isEqualTo(streamArn);
        assertThat(input.path("eventSource").asText()).isEqualTo("aws:dynamodb");
        assertThat(input.at("/dynamodb/Keys/pk/S").asText()).isEqualTo("tenantCode#test");
        assertThat(input.at("/dynamodb/Keys/sk/S").asText()).isEqualTo("1726027976@1");
        assertThat(normal(DynamoJson.fromItem(DynamoJson.fromDynamoJson(input.at("/dynamodb/NewImage")))))
                .isEqualTo(normal(command));
        assertThat(input.at("/dynamodb/StreamViewType").asText()).isEqualTo("NEW_IMAGE");
    }

    /** 12: a name that would pass 80 characters is shortened to 80, ending with a hash of pk and sk. */
    @Test
    void aLongExecutionNameIsShortenedAsDocumented() {
        String skBase = "S".repeat(100);
        ObjectNode command = command("tenantCode#long", skBase, 1);
        putCommandRow(command);

        startFromStream(command);

        String name = ExecutionNames.of(MODULE, "tenantCode#long", skBase + "@1");
        assertThat(name).hasSize(ExecutionNames.MAX_LENGTH).matches("sample_tenantCode_long_S+-[0-9a-f]{32}");
        assertThat(execution(name).name()).isEqualTo(name);
    }

    /**
     * 13: through the real stream: an INSERT marked SYNC, a MODIFY and an item of another table start nothing.
     * Shown by a later INSERT of the same pk (same stream, read in order), whose execution starts.
     */
    @Test
    void syncInsertsModifiesAndOtherTablesStartNothing() throws Exception {
        String pk = "STREAM#" + unique("t1");
        ObjectNode sync = command(pk, "SYNCED", 1);
        putCommandRow(sync);
        aws.dynamoDb().updateItem(b -> b.tableName(table("command"))
                .key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS("SYNCED@1")))
                .updateExpression("SET #n = :n REMOVE syncMode").expressionAttributeNames(Map.of("#n", "name"))
                .expressionAttributeValues(Map.of(":n", AttributeValue.fromS("modified"))));
        putItem(table("data"), command(pk, "DATA", 1));
        ObjectNode control = command(pk, "CONTROL", 1);
        putItem(table("command"), control);

        String controlName = ExecutionNames.of(MODULE, pk, "CONTROL@1");
        execution(controlName);
        String fragment = ExecutionNames.of(MODULE, pk, "X").substring(0, ("sample_" + pk).length());
        List<ExecutionListItem> executions = aws.sfn().listExecutionsPaginator(b -> b.stateMachineArn(machineArn()))
                .executions().stream().filter(e -> e.name().startsWith(fragment)).toList();
        assertThat(executions).extracting(ExecutionListItem::name).containsExactly(controlName);
    }
}
