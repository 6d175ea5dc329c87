package io.cqrsworkers.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.aws.AwsClients;
import io.cqrsworkers.config.AppConfiguration;
import io.cqrsworkers.json.Jackson;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The kit's own guarantees: free ports and a fresh data folder of the class's own, the settings of the annotation and
 * of a runtime method, and no system property set by the kit. The annotations are in the other order than in the
 * examples, and the test instance is per class: neither changes what the context gets.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@EmbeddedAws(properties = "app.kit-test.fixed = from the annotation")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedAwsExtensionTest {

    private static Properties systemBefore;

    EmbeddedAwsClient aws;

    @BeforeAll
    static void noteSystemProperties() {
        systemBefore = (Properties) System.getProperties().clone();
    }

    @EmbeddedAws.RuntimeProperties
    static Map<String, String> known() {
        return Map.of("app.kit-test.runtime", "from " + EmbeddedAwsExtensionTest.class.getSimpleName());
    }

    @AfterAll
    static void noSystemPropertyWasSet() {
        // none of the kit's settings became a system property while the class ran (the embedded services' libraries
        // set a few of their own, e.g. S3Proxy's)
        Map<Object, Object> changed = new HashMap<>();
        System.getProperties().forEach((key, value) -> {
            if (!value.equals(systemBefore.get(key))) {
                changed.put(key, value);
            }
        });
        assertThat(changed.keySet()).as("system properties changed: %s", changed).noneMatch(key -> key.toString().startsWith("camel.")
                || key.toString().startsWith("app."));
    }

    @Test
    void theSettingsOfTheAnnotationAndOfTheRuntimeMethodReachTheContext() {
        assertThat(aws.context().resolvePropertyPlaceholders("{{app.kit-test.fixed}}")).isEqualTo("from the annotation");
        assertThat(aws.context().resolvePropertyPlaceholders("{{app.kit-test.runtime}}"))
                .isEqualTo("from EmbeddedAwsExtensionTest");
    }

    @Test
    void theServiceRunsOnTheKitsPortsAndDataFolder() throws Exception {
        aws.awaitReady();
        assertThat(aws.apiUrl()).doesNotEndWith(":1");
        assertThat(aws.get(aws.apiUrl() + "/api/commands/sample?pk=NONE%23t1&sk=NONE").status()).isEqualTo(404);
        assertThat(aws.context().resolvePropertyPlaceholders("{{app.modules.sample.sync-handlers}}"))
                .isEqualTo("direct:sync-data-dynamodb,direct:sync-data-log");
        // the service's own routes are there
        assertThat(aws.context().getRoute("alarms")).isNotNull();

        Path dataDir = aws.dataDir();
        assertThat(dataDir.getParent()).isEqualTo(Path.of("target", "embedded-aws"));
        assertThat(dataDir.getFileName().toString()).startsWith(getClass().getSimpleName() + "-");
        try (var files = Files.list(dataDir)) {
            assertThat(files).isNotEmpty();
        }

        // every embedded service on a port of its own, none on the defaults of the local profile
        for (URI endpoint : aws.aws().endpoints().values()) {
            assertThat(endpoint.getPort()).isNotIn(9324, 9000, 8000, 8083);
        }
        assertThat(aws.aws().endpoints()).containsKeys(AwsClients.SQS, AwsClients.S3, AwsClients.DYNAMODB,
                AwsClients.STEP_FUNCTIONS);
    }

    @Test
    void aCsvImportIsAppliedAndItsRowsAreReadBack() {
        JsonNode job = aws.awaitImport(aws.startCsvImport("sample", "t1", "code,name,colour\nk1,First,red\nk2,Second,blue\n",
                "DIRECT"));

        assertThat(job.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(job.findValue("succeededRows").asInt()).isEqualTo(2);
        assertThat(aws.item("sample-data", "SAMPLE#t1", "k2")).hasValueSatisfying(row -> {
            assertThat(row.path("name").asText()).isEqualTo("Second");
            assertThat(row.path("attributes").path("colour").asText()).isEqualTo("blue");
        });
    }

    @Test
    void aStepFunctionTaskRunsEveryItemAndItsExecutionHasAHistory() {
        JsonNode task = aws.awaitTask(aws.createStepFunctionTask("demo", "t1", List.of(Map.of("n", 1), Map.of("n", 2))));

        assertThat(task.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(task.findValue("subTaskSucceedCount").asInt()).isEqualTo(2);
        String arn = task.findValue("executionArn").asText();
        assertThat(aws.awaitExecution(arn).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(aws.history(arn)).extracting(HistoryEvent::type)
                .contains(HistoryEventType.MAP_ITERATION_SUCCEEDED, HistoryEventType.EXECUTION_SUCCEEDED);
    }

    @Test
    void messagesOfAQueueNoRouteConsumesAreReadUntilOneMatches() {
        String url = aws.aws().sqs().getQueueUrl(b -> b.queueName(aws.name("alarm-queue-dlq"))).queueUrl();
        aws.aws().sqs().sendMessage(b -> b.queueUrl(url).messageBody("{\"n\":1}"));
        aws.aws().sqs().sendMessage(b -> b.queueUrl(url).messageBody("{\"n\":2}"));

        assertThat(aws.awaitMessage("alarm-queue-dlq", m -> m.body().contains("2")).body()).isEqualTo("{\"n\":2}");
    }

    @Test
    void aWaitThatTimesOutSaysWhatItWaitedForAndWhatItSaw() {
        JsonNode missing = Jackson.MAPPER.createObjectNode().put("pk", "TASK#t1").put("sk", "missing");
        try {
            assertThatThrownBy(() -> aws.timeout(Duration.ofSeconds(1)).awaitTask(missing))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("task TASK#t1 missing to be COMPLETED or FAILED");
        } finally {
            aws.timeout(Duration.ofSeconds(60));
        }
    }
}
