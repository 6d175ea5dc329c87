package io.cqrsworkers.localaws.stepfunctions;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.localaws.emulator.ManualClock;
import io.cqrsworkers.localaws.persist.JsonLinesLog;
import io.cqrsworkers.localaws.stepfunctions.store.EngineJournal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.cqrsworkers.localaws.stepfunctions.SfnTestSupport.awaitEnd;
import static io.cqrsworkers.localaws.stepfunctions.SfnTestSupport.createMachine;
import static io.cqrsworkers.localaws.stepfunctions.SfnTestSupport.history;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Machines, executions and histories survive a restart; parked executions resume where they were. */
class PersistenceTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static LocalSqs sqs;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void startSqs() throws Exception {
        sqs = new LocalSqs();
    }

    @AfterAll
    static void stopSqs() {
        sqs.close();
    }

    private StepFunctionsEmulator emulator(ManualClock clock) throws Exception {
        return emulator(clock, Duration.ofDays(90));
    }

    private StepFunctionsEmulator emulator(ManualClock clock, Duration retention) throws Exception {
        StepFunctionsEmulator e = StepFunctionsEmulator.builder().dataDir(dataDir).clock(clock).sqsEndpoint(sqs.endpoint)
                .executionRetention(retention).build();
        e.start();
        return e;
    }

    @Test
    void closedExecutionsAreForgottenOnceTheirRetentionEnds() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2024-01-01T00:00:00Z"));
        StepFunctionsEmulator first = emulator(clock, Duration.ofHours(1));
        String old;
        String recent;
        String running;
        try (SfnClient sfn = SfnTestSupport.client(first)) {
            String pass = createMachine(sfn, "pass", "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}");
            String waiting = createMachine(sfn, "long-wait", "{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\","
                    + "\"Seconds\":10800,\"End\":true}}}");
            old = sfn.startExecution(b -> b.stateMachineArn(pass).name("old")).executionArn();
            running = sfn.startExecution(b -> b.stateMachineArn(waiting).name("running")).executionArn();
            awaitEnd(sfn, old);
            clock.advance(Duration.ofMinutes(30));
            recent = sfn.startExecution(b -> b.stateMachineArn(pass).name("recent")).executionArn();
            awaitEnd(sfn, recent);
            long stored = countHistoryFiles();

            clock.advance(Duration.ofMinutes(45));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThatThrownBy(
                    () -> sfn.describeExecution(b -> b.executionArn(old))).isInstanceOf(ExecutionDoesNotExistException.class));
            assertThat(countHistoryFiles()).as("its history is gone").isEqualTo(stored - 1);
            assertThat(sfn.listExecutions(b -> b.stateMachineArn(pass)).executions())
                    .extracting(ExecutionListItem::name).containsExactly("recent");
            assertThat(sfn.describeExecution(b -> b.executionArn(running)).status())
                    .as("a running execution is never forgotten").isEqualTo(ExecutionStatus.RUNNING);
        } finally {
            first.close();
        }

        clock.advance(Duration.ofMinutes(30));
        StepFunctionsEmulator second = emulator(clock, Duration.ofHours(1));
        try (SfnClient sfn = SfnTestSupport.client(second)) {
            assertThatThrownBy(() -> sfn.describeExecution(b -> b.executionArn(recent)))
                    .as("expired while the engine was down: forgotten at the start")
                    .isInstanceOf(ExecutionDoesNotExistException.class);
            assertThat(sfn.describeExecution(b -> b.executionArn(running)).status()).isEqualTo(ExecutionStatus.RUNNING);
        } finally {
            second.close();
        }
    }

    @Test
    void aDistributedMapsChildrenStayWhileTheExecutionThatRanTheMapRuns() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2024-01-01T00:00:00Z"));
        StepFunctionsEmulator engine = emulator(clock, Duration.ofHours(1));
        try (SfnClient sfn = SfnTestSupport.client(engine)) {
            String machine = createMachine(sfn, "map-then-wait", """
                    {"StartAt":"M","States":{
                      "M":{"Type":"Map","ItemsPath":"$.items","ResultPath":"$.run","Next":"W",
                        "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
                          "StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}},
                      "W":{"Type":"Wait","Seconds":10800,"End":true}}}""");
            String exec = sfn.startExecution(b -> b.stateMachineArn(machine).input("{\"items\":[1,2,3]}")).executionArn();
            await().atMost(Duration.ofSeconds(5)).until(() -> history(sfn, exec).stream()
                    .anyMatch(e -> e.type() == HistoryEventType.WAIT_STATE_ENTERED));
            String mapRun = sfn.listMapRuns(b -> b.executionArn(exec)).mapRuns().get(0).mapRunArn();
            assertThat(sfn.listExecutions(b -> b.mapRunArn(mapRun)).executions()).isNotEmpty();

            // closed when the map's children closed, run by nothing: what the sweep removes, so its going shows the
            // sweep ran
            String alone = sfn.startExecution(b -> b.stateMachineArn(createMachine(sfn, "alone",
                    "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}"))).executionArn();
            awaitEnd(sfn, alone);

            clock.advance(Duration.ofMinutes(90));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThatThrownBy(
                    () -> sfn.describeExecution(b -> b.executionArn(alone))).isInstanceOf(ExecutionDoesNotExistException.class));
            assertThat(sfn.listExecutions(b -> b.mapRunArn(mapRun)).executions())
                    .as("closed 90 min ago, but the map's execution still runs").isNotEmpty();

            clock.advance(Duration.ofMinutes(90));
            awaitEnd(sfn, exec);
            clock.advance(Duration.ofMinutes(61));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThatThrownBy(
                    () -> sfn.describeExecution(b -> b.executionArn(exec))).isInstanceOf(ExecutionDoesNotExistException.class));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThatThrownBy(
                    () -> sfn.listExecutions(b -> b.mapRunArn(mapRun))).isInstanceOf(SfnException.class));
        } finally {
            engine.close();
        }
    }

    private long countHistoryFiles() throws IOException {
        try (var dirs = Files.list(dataDir.resolve("histories"))) {
            return dirs.count();
        }
    }

    @Test
    void parkedExecutionsResumeAfterARestart() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2024-01-01T00:00:00Z"));
        String queueUrl = sqs.client.createQueue(b -> b.queueName("restart")).queueUrl();
        String callbackArn;
        String waitArn;
        String doneArn;
        String token;
        int eventsBefore;
        List<HistoryEvent> doneHistory;
        StepFunctionsEmulator first = emulator(clock);
        try (SfnClient sfn = SfnTestSupport.client(first)) {
            String callback = createMachine(sfn, "callback", """
                    {"StartAt":"Prepare","States":{
                      "Prepare":{"Type":"Pass","Assign":{"who":"me"},"Result":{"step":1},"ResultPath":"$.prep","Next":"Ask"},
                      "Ask":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","TimeoutSeconds":3600,
                        "Parameters":{"QueueUrl":"%s","MessageBody":{"token.$":"$$.Task.Token"}},"ResultPath":"$.answer","Next":"Done"},
                      "Done":{"Type":"Pass","Parameters":{"answer.$":"$.answer","prep.$":"$.prep","who.$":"$who"},"End":true}}}""".formatted(queueUrl));
            String waiting = createMachine(sfn, "waiting", """
                    {"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":600,"Next":"After"},"After":{"Type":"Pass","Result":"woke","End":true}}}""");
            callbackArn = sfn.startExecution(b -> b.stateMachineArn(callback).name("c1").input("{}")).executionArn();
            doneArn = sfn.startExecution(b -> b.stateMachineArn(waiting).name("w0")).executionArn();
            // the execution runs on its own: advance the clock only once its Wait has started counting
            String w0 = doneArn;
            await().atMost(Duration.ofSeconds(5)).until(() -> history(sfn, w0).stream()
                    .anyMatch(e -> e.type() == HistoryEventType.WAIT_STATE_ENTERED));
            clock.advance(Duration.ofSeconds(600));
            awaitEnd(sfn, doneArn);
            // an ended execution's history is read back from the data directory (the heap copy is released)
            doneHistory = history(sfn, doneArn);
            assertThat(doneHistory).extracting(HistoryEvent::type)
                    .startsWith(HistoryEventType.EXECUTION_STARTED).endsWith(HistoryEventType.EXECUTION_SUCCEEDED);
            waitArn = sfn.startExecution(b -> b.stateMachineArn(waiting).name("w1").input("{}")).executionArn();
            List<Message> m = await().atMost(Duration.ofSeconds(5))
                    .until(() -> sqs.client.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(1)).messages(), l -> !l.isEmpty());
            token = MAPPER.readTree(m.get(0).body()).path("token").asText();
            eventsBefore = history(sfn, callbackArn).size();
        } finally {
            first.close();
        }

        StepFunctionsEmulator second = emulator(clock);
        try (SfnClient sfn = SfnTestSupport.client(second)) {
            assertThat(sfn.listStateMachines().stateMachines()).hasSize(2);
            DescribeExecutionResponse done = sfn.describeExecution(b -> b.executionArn(doneArn));
            assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(done.output()).isEqualTo("\"woke\"");
            assertThat(history(sfn, doneArn)).isEqualTo(doneHistory);

            assertThat(sfn.describeExecution(b -> b.executionArn(callbackArn)).status()).isEqualTo(ExecutionStatus.RUNNING);
            sfn.sendTaskSuccess(b -> b.taskToken(token).output("{\"ok\":true}"));
            DescribeExecutionResponse resumed = awaitEnd(sfn, callbackArn);
            assertThat(resumed.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(MAPPER.readTree(resumed.output())).isEqualTo(MAPPER.readTree("{\"answer\":{\"ok\":true},\"prep\":{\"step\":1},\"who\":\"me\"}"));
            List<HistoryEvent> events = history(sfn, callbackArn);
            assertThat(events.size()).isGreaterThan(eventsBefore);
            for (int i = 0; i < events.size(); i++) {
                assertThat(events.get(i).id()).isEqualTo(i + 1L);
            }

            assertThat(sfn.describeExecution(b -> b.executionArn(waitArn)).status()).isEqualTo(ExecutionStatus.RUNNING);
            clock.advance(Duration.ofSeconds(600));
            assertThat(awaitEnd(sfn, waitArn).output()).isEqualTo("\"woke\"");
        } finally {
            second.close();
        }
    }

    /**
     * Entries are written in groups, but never after an answer that acknowledged them: the data directory copied
     * the moment SendTaskHeartbeat answers (what a kill -9 then leaves) holds the heartbeat, which no worker step
     * follows to write it.
     */
    @Test
    void anAcknowledgedHeartbeatIsOnDiskWhenTheAnswerComes(@TempDir Path crashCopy) throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2024-01-01T00:00:00Z"));
        String queueUrl = sqs.client.createQueue(b -> b.queueName("acknowledged")).queueUrl();
        StepFunctionsEmulator first = emulator(clock);
        try (SfnClient sfn = SfnTestSupport.client(first)) {
            String machine = createMachine(sfn, "ack", """
                    {"StartAt":"Ask","States":{
                      "Ask":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","HeartbeatSeconds":60,
                        "Parameters":{"QueueUrl":"%s","MessageBody":{"token.$":"$$.Task.Token"}},"End":true}}}""".formatted(queueUrl));
            String arn = sfn.startExecution(b -> b.stateMachineArn(machine).name("a1").input("{}")).executionArn();
            List<Message> m = await().atMost(Duration.ofSeconds(5))
                    .until(() -> sqs.client.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(1)).messages(), l -> !l.isEmpty());
            String token = MAPPER.readTree(m.get(0).body()).path("token").asText();
            sfn.sendTaskHeartbeat(b -> b.taskToken(token));
            copyTree(dataDir, crashCopy);
            try (EngineJournal journal = EngineJournal.open(crashCopy, JsonLinesLog.MIN_JOURNAL_BYTES)) {
                assertThat(journal.takeRecovered().executions.get(arn).entries)
                        .anyMatch(entry -> entry.path("k").asText().equals("heartbeat"));
            }
        } finally {
            first.close();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
