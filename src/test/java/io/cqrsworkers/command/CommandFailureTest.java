package io.cqrsworkers.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.aws.AwsClients;
import io.cqrsworkers.aws.DynamoJson;
import io.cqrsworkers.config.AppConfiguration;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.EndpointInject;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A version whose sync handler fails ends FAILED with the handler's error; the next version, published after that,
 * fails at once (it would wait 24 h in the original) into a reported failure. (The wait's timeout itself:
 * CommandExecutionEndTest.)
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
class CommandFailureTest extends CommandTestSupport {

    @Test
    void aFailingSyncHandlerFailsItsVersionAndTheNextOneFailsReported() throws Exception {
        alarms.expectedMinimumMessageCount(2);
        assertThat(post("/api/commands/sample", command("FAIL#t1", "FAIL#1", 0, "bad", "{\"failSync\":true}"))
                .statusCode()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).until(() -> executionsNamed("FAIL_t1").stream()
                .anyMatch(e -> e.status() == ExecutionStatus.FAILED));
        String failed = executionsNamed("FAIL_t1").get(0).executionArn();
        var described = aws.sfn().describeExecution(b -> b.executionArn(failed));
        assertThat(described.error()).isEqualTo("IllegalStateException");
        assertThat(described.cause()).contains("probe handler refused the command");
        assertThat(item("sample-command", "FAIL#t1", "FAIL#1@1").orElseThrow().path("status").asText())
                .isEqualTo("sync_data:FAILED");
        assertThat(dataVersion("FAIL#t1", "FAIL#1")).isZero();

        // version 2 would wait for version 1, which will never finish: it fails at once, reported
        assertThat(post("/api/commands/sample", command("FAIL#t1", "FAIL#1", 1, "next", "{}")).statusCode())
                .isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).until(() -> executionsNamed("FAIL_t1").stream()
                .filter(e -> e.status() == ExecutionStatus.FAILED).count() == 2);
        assertThat(item("sample-command", "FAIL#t1", "FAIL#1@2").orElseThrow().path("status").asText())
                .isEqualTo("wait_prev_command:FAILED");
        String next = executionsNamed("FAIL_t1_FAIL_1_2").get(0).executionArn();
        var nextFailed = aws.sfn().describeExecution(b -> b.executionArn(next));
        assertThat(nextFailed.error()).isEqualTo(CommandExecutionEnds.PREVIOUS_FAILED);
        // told by its own look at version 1 (or by the execution watch, if it came between)
        assertThat(nextFailed.cause()).contains("was not resumed by version 1: version 1 of FAIL#t1 / FAIL#1 ended "
                + "FAILED");
        alarms.assertIsSatisfied(20_000);
        assertThat(alarms.getExchanges()).anyMatch(e -> e.getMessage().getBody(String.class).contains("sync_data failed"));
    }
}
