package io.cqrsworkers.examples;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.config.AppConfiguration;
import io.cqrsworkers.json.Jackson;
import io.cqrsworkers.testkit.EmbeddedAws;
import io.cqrsworkers.testkit.EmbeddedAwsClient;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A custom sync handler in YAML (src/test/resources/examples/audit-sync-handler.camel.yaml), tested as a user would. */
@EmbeddedAws(routes = "classpath:examples/audit-sync-handler.camel.yaml")
@CamelMainTest(configurationClasses = AppConfiguration.class,
        properties = "app.modules.sample.sync-handlers=direct:sync-data-dynamodb,direct:sync-audit-to-s3")
class AuditSyncHandlerTest {

    EmbeddedAwsClient aws;

    @Test
    void everyCommandIsAuditedInS3BesidesTheReadModel() throws Exception {
        JsonNode published = aws.publishCommand("sample", Map.of(
                "pk", "ORDER#t1", "sk", "ORDER#2001", "code", "2001", "name", "audited order",
                "tenantCode", "t1", "type", "ORDER", "version", 0, "attributes", Map.of("total", 10)));

        JsonNode command = aws.awaitCommand("sample", published);
        assertThat(command.path("status").asText()).isEqualTo(EmbeddedAwsClient.COMMAND_FINISHED);

        // the handler's effect: the command as an audit record, next to the read model of the default handler
        JsonNode audit = Jackson.MAPPER.readTree(aws.awaitObject("audit/sample/t1/2001/v1.json"));
        assertThat(audit.path("name").asText()).isEqualTo("audited order");
        assertThat(audit.path("attributes").path("total").asInt()).isEqualTo(10);
        assertThat(aws.data("sample", "ORDER#t1", "ORDER#2001")).hasValueSatisfying(data ->
                assertThat(data.path("version").asLong()).isEqualTo(1));

        // the execution went through sync_data_all to finish, and the handler's reply is a step output there
        String arn = aws.commandExecutionArn("sample", published);
        assertThat(aws.awaitExecution(arn).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        List<HistoryEvent> history = aws.history(arn);
        List<String> states = history.stream().filter(e -> e.type() == HistoryEventType.TASK_STATE_ENTERED
                        || e.type() == HistoryEventType.MAP_STATE_ENTERED || e.type() == HistoryEventType.PASS_STATE_ENTERED
                        || e.type() == HistoryEventType.CHOICE_STATE_ENTERED)
                .map(e -> e.stateEnteredEventDetails().name()).distinct().toList();
        assertThat(states).containsSubsequence("sync_data_all", "finish");
        assertThat(history).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(HistoryEventType.TASK_SUCCEEDED);
            assertThat(e.taskSucceededEventDetails().output())
                    .contains("\"audit\":\"audit/sample/t1/2001/v1.json\"");
        });
    }
}
