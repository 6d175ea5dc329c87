package io.cqrsworkers.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.config.AppConfiguration;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A command whose execution is stopped is marked {@code <step>:FAILED} with error and cause and an alarm, and the
 * version waiting for it fails at once instead of waiting out its timeout; a version that comes later fails too.
 * A wait that timed out is reported, and the previous version's finish then alarms on TaskTimedOut. Commands whose
 * attributes say {@code hold} stay in their sync handler until the test lets them go. The watch looks every second;
 * a version waits 8 s at most.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class,
        properties = {"app.workflow.watch-interval-seconds=1", "app.command.wait-timeout-seconds=8"})
class CommandExecutionEndTest extends CommandTestSupport {

    private volatile CountDownLatch gate = new CountDownLatch(0);
    private boolean holding;

    @BeforeEach
    void holdTheMarkedCommands() throws Exception {
        if (holding) {
            return;
        }
        holding = true;
        AdviceWith.adviceWith(context, "test-sync-probe", a -> a.weaveAddFirst().process(e -> {
            Object attributes = e.getMessage().getBody(Map.class).get("attributes");
            if (attributes instanceof Map<?, ?> map && Boolean.TRUE.equals(map.get("hold"))) {
                gate.await(60, TimeUnit.SECONDS);
            }
        }));
    }

    private JsonNode awaitCommand(String pk, String sk, String status) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> item("sample-command", pk, sk).orElse(null),
                        c -> c != null && status.equals(c.path("status").asText()));
    }

    private DescribeExecutionResponse awaitEnded(String name) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> aws.sfn().describeExecution(b -> b.executionArn(executionsNamed(name).get(0)
                        .executionArn())), e -> !"RUNNING".equals(e.statusAsString()));
    }

    /** Waits for the alarm about a command (observed at mock:alarms). */
    private void awaitAlarm(String sk, String text) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> alarms.getExchanges()
                .stream().map(e -> e.getMessage().getBody(String.class))
                .anyMatch(a -> a.contains("\"sk\":\"" + sk + "\"") && a.contains(text)));
    }

    @Test
    void aVersionWhosePredecessorsExecutionIsStoppedFailsAtOnce() throws Exception {
        gate = new CountDownLatch(1);
        try {
            assertThat(post("/api/commands/sample", command("STOP#t1", "STOP#1", 0, "held", "{\"hold\":true}"))
                    .statusCode()).isEqualTo(201);
            awaitCommand("STOP#t1", "STOP#1@1", "sync_data:STARTED");
            assertThat(post("/api/commands/sample", command("STOP#t1", "STOP#1", 1, "next", "{}")).statusCode())
                    .isEqualTo(201);
            // version 2 waits: its token is stored
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> item(
                    "sample-command", "STOP#t1", "STOP#1@2").orElseThrow().hasNonNull("taskToken"));

            String first = executionsNamed("STOP_t1_STOP_1_1").get(0).executionArn();
            aws.sfn().stopExecution(b -> b.executionArn(first).error("Operator.Stop").cause("stopped by hand"));

            JsonNode stopped = awaitCommand("STOP#t1", "STOP#1@1", "sync_data:FAILED");
            assertThat(stopped.path("executionStatus").asText()).isEqualTo("ABORTED");
            assertThat(stopped.path("error").asText()).isEqualTo("Operator.Stop");
            assertThat(stopped.path("cause").asText()).isEqualTo("stopped by hand");

            // version 2 fails through wait_prev_command_failed, well before its 8 s timeout
            DescribeExecutionResponse second = awaitEnded("STOP_t1_STOP_1_2");
            assertThat(second.statusAsString()).isEqualTo("FAILED");
            assertThat(second.error()).isEqualTo(CommandExecutionEnds.PREVIOUS_FAILED);
            assertThat(second.cause()).contains("version 1 of STOP#t1 / STOP#1 ended ABORTED in sync_data: "
                    + "Operator.Stop: stopped by hand");
            assertThat(Duration.between(second.startDate(), second.stopDate())).isLessThan(Duration.ofSeconds(8));
            assertThat(item("sample-command", "STOP#t1", "STOP#1@2").orElseThrow().path("status").asText())
                    .isEqualTo("wait_prev_command:FAILED");
            assertThat(dataVersion("STOP#t1", "STOP#1")).isZero();

            // a version published now finds its predecessor's execution ended: it fails at once too
            assertThat(post("/api/commands/sample", command("STOP#t1", "STOP#1", 2, "later", "{}")).statusCode())
                    .isEqualTo(201);
            DescribeExecutionResponse third = awaitEnded("STOP_t1_STOP_1_3");
            assertThat(third.error()).isEqualTo(CommandExecutionEnds.PREVIOUS_FAILED);
            assertThat(third.cause()).contains("version 2 of STOP#t1 / STOP#1 ended FAILED");

            awaitAlarm("STOP#1@1", "sync_data failed: Execution ABORTED: Operator.Stop: stopped by hand");
            awaitAlarm("STOP#1@2", "was not resumed by version 1");
            awaitAlarm("STOP#1@3", "was not resumed by version 2");
            assertThat(alarms.getExchanges()).map(e -> e.getMessage().getBody(String.class))
                    .filteredOn(a -> a.contains("\"sk\":\"STOP#1@1\"")).hasSize(1);
        } finally {
            gate.countDown();
        }
    }

    @Test
    void finishAlarmsWhenTheNextVersionsWaitHadTimedOut() throws Exception {
        gate = new CountDownLatch(1);
        try {
            assertThat(post("/api/commands/sample", command("LATE#t1", "LATE#1", 0, "held", "{\"hold\":true}"))
                    .statusCode()).isEqualTo(201);
            awaitCommand("LATE#t1", "LATE#1@1", "sync_data:STARTED");
            assertThat(post("/api/commands/sample", command("LATE#t1", "LATE#1", 1, "next", "{}")).statusCode())
                    .isEqualTo(201);

            // version 1 stays in its sync handler: version 2's wait times out (8 s) and is reported
            DescribeExecutionResponse second = awaitEnded("LATE_t1_LATE_1_2");
            assertThat(second.error()).isEqualTo("States.Timeout");
            assertThat(item("sample-command", "LATE#t1", "LATE#1@2").orElseThrow().path("status").asText())
                    .isEqualTo("wait_prev_command:FAILED");
        } finally {
            gate.countDown();
        }
        // version 1 goes on; its finish finds version 2's token timed out: push_resume_failed, as the original
        awaitCommand("LATE#t1", "LATE#1@1", "finish:FINISHED");
        awaitAlarm("LATE#1@2", "push_resume_failed: nextVersion 2, nextSk LATE#1@2, TaskTimedOut");
        assertThat(dataVersion("LATE#t1", "LATE#1")).isEqualTo(1);
    }
}
