package io.cqrsworkers.localaws.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.localaws.emulator.ManualClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.DescribeMapRunResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import static io.cqrsworkers.localaws.stepfunctions.SfnTestSupport.awaitEnd;
import static io.cqrsworkers.localaws.stepfunctions.SfnTestSupport.createMachine;
import static io.cqrsworkers.localaws.stepfunctions.SfnTestSupport.history;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An engine stopped at any moment and started again on the same data directory takes every execution up where it
 * was: inside inline and distributed Maps, Parallel branches, pending retries, task-token waits and their timeouts.
 * Each stop here is a close of the emulator; the journal is written line by line as things happen, so the files a
 * close leaves are those a kill -9 would leave (the chaos test of the service kills for real).
 */
class ResumeTest {
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

    private StepFunctionsEmulator engine(ManualClock clock, Path dir) throws Exception {
        StepFunctionsEmulator e = StepFunctionsEmulator.builder().dataDir(dir).clock(clock).sqsEndpoint(sqs.endpoint).build();
        e.start();
        return e;
    }

    /** Callback messages by the "id" of their body. */
    private static Map<String, String> receiveTokens(String queueUrl, int count) {
        Map<String, String> tokens = new ConcurrentHashMap<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (Message m : sqs.client.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
                JsonNode body = MAPPER.readTree(m.body());
                tokens.put(body.path("id").asText(), body.path("token").asText());
                sqs.client.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
            return tokens.size() >= count;
        });
        assertThat(tokens).as("no more callbacks than expected").hasSize(count);
        return tokens;
    }

    private static void answer(SfnClient sfn, String token, String output) {
        sfn.sendTaskSuccess(b -> b.taskToken(token).output(output));
    }

    private static void assertContiguousIds(List<HistoryEvent> events) {
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).id()).as("event ids run 1..n without gaps or repeats").isEqualTo(i + 1L);
        }
    }

    @Test
    void inlineMapIterationsAndParallelBranchesParkedOnTokensResume() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2024-01-01T00:00:00Z"));
        String queue = sqs.client.createQueue(b -> b.queueName("resume-fanout")).queueUrl();
        String ask = "{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::sqs:sendMessage.waitForTaskToken\","
                + "\"Parameters\":{\"QueueUrl\":\"" + queue + "\",\"MessageBody\":{\"token.$\":\"$$.Task.Token\",\"id.$\":\"$.id\"}},\"End\":true}";
        String definition = """
                {"StartAt":"Fan","States":{
                  "Fan":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":2,"ResultPath":"$.mapped","Next":"Both",
                    "ItemSelector":{"id.$":"States.Format('item-{}', $$.Map.Item.Value)"},
                    "ItemProcessor":{"StartAt":"Ask","States":{"Ask":%s}}},
                  "Both":{"Type":"Parallel","ResultPath":"$.both","Next":"Done","Branches":[
                    {"StartAt":"Quick","States":{"Quick":{"Type":"Pass","Result":"quick","End":true}}},
                    {"StartAt":"Slow","States":{"Slow":{"Type":"Pass","Result":{"id":"branch"},"Next":"Ask"},"Ask":%s}}]},
                  "Done":{"Type":"Pass","End":true}}}""".formatted(ask, ask);
        String exec;
        Map<String, String> tokens;
        StepFunctionsEmulator first = engine(clock, dataDir);
        try (SfnClient sfn = SfnTestSupport.client(first)) {
            String machine = createMachine(sfn, "fanout", definition);
            exec = sfn.startExecution(b -> b.stateMachineArn(machine).name("e1").input("{\"items\":[1,2,3]}")).executionArn();
            tokens = receiveTokens(queue, 2);
            answer(sfn, tokens.get("item-1"), "{\"r\":1}");
            tokens.putAll(receiveTokens(queue, 1));
            assertThat(tokens).containsKey("item-3");
        } finally {
            first.close();
        }

        StepFunctionsEmulator second = engine(clock, dataDir);
        try (SfnClient sfn = SfnTestSupport.client(second)) {
            assertThat(sfn.describeExecution(b -> b.executionArn(exec)).status()).isEqualTo(ExecutionStatus.RUNNING);
            answer(sfn, tokens.get("item-3"), "{\"r\":3}");
            answer(sfn, tokens.get("item-2"), "{\"r\":2}");
            tokens.putAll(receiveTokens(queue, 1));
        } finally {
            second.close();
        }

        StepFunctionsEmulator third = engine(clock, dataDir);
        try (SfnClient sfn = SfnTestSupport.client(third)) {
            answer(sfn, tokens.get("branch"), "{\"r\":\"b\"}");
            DescribeExecutionResponse done = awaitEnd(sfn, exec);
            assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(MAPPER.readTree(done.output())).isEqualTo(MAPPER.readTree(
                    "{\"items\":[1,2,3],\"mapped\":[{\"r\":1},{\"r\":2},{\"r\":3}],\"both\":[\"quick\",{\"r\":\"b\"}]}"));
            List<HistoryEvent> events = history(sfn, exec);
            assertContiguousIds(events);
            assertThat(events.stream().filter(e -> e.type() == HistoryEventType.MAP_ITERATION_STARTED))
                    .as("each iteration started once").hasSize(3);
            assertThat(events.stream().filter(e -> e.type() == HistoryEventType.MAP_ITERATION_SUCCEEDED)).hasSize(3);
            assertThat(events.stream().filter(e -> e.type() == HistoryEventType.TASK_SCHEDULED))
                    .as("no task sent twice").hasSize(4);
        } finally {
            third.close();
        }
    }

    @Test
    void aSnapshotWrittenWhileExecutionsRunKeepsThemWhole() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2024-01-01T00:00:00Z"));
        String queue = sqs.client.createQueue(b -> b.queueName("resume-snapshot")).queueUrl();
        String definition = """
                {"StartAt":"Fan","States":{
                  "Fan":{"Type":"Map","ItemsPath":"$.items","ItemSelector":{"id.$":"$$.Map.Item.Value"},"Next":"Done",
                    "ItemProcessor":{"StartAt":"Ask","States":{"Ask":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                      "Parameters":{"QueueUrl":"%s","MessageBody":{"token.$":"$$.Task.Token","id.$":"$.id"}},"End":true}}}},
                  "Done":{"Type":"Pass","End":true}}}""".formatted(queue);
        Map<String, String> tokens;
        StepFunctionsEmulator first = StepFunctionsEmulator.builder().dataDir(dataDir).clock(clock).sqsEndpoint(sqs.endpoint)
                .snapshotAfterBytes(1).build();
        first.start();
        try (SfnClient sfn = SfnTestSupport.client(first)) {
            String machine = createMachine(sfn, "snapshot", definition);
            sfn.startExecution(b -> b.stateMachineArn(machine).name("s1").input("{\"items\":[\"a1\",\"a2\"]}"));
            sfn.startExecution(b -> b.stateMachineArn(machine).name("s2").input("{\"items\":[\"b1\"]}"));
            tokens = receiveTokens(queue, 3);
            answer(sfn, tokens.get("a1"), "\"A1\"");
            clock.advance(Duration.ofSeconds(31));
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.list(dataDir.resolve("journal"))
                    .anyMatch(p -> p.getFileName().toString().startsWith("snapshot-")));
            answer(sfn, tokens.get("b1"), "\"B1\"");
            awaitEnd(sfn, SfnTestSupport.machineArn("snapshot").replace("stateMachine", "execution") + ":s2");
        } finally {
            first.close();
        }
        StepFunctionsEmulator second = engine(clock, dataDir);
        try (SfnClient sfn = SfnTestSupport.client(second)) {
            String s1 = SfnTestSupport.machineArn("snapshot").replace("stateMachine", "execution") + ":s1";
            String s2 = SfnTestSupport.machineArn("snapshot").replace("stateMachine", "execution") + ":s2";
            assertThat(MAPPER.readTree(sfn.describeExecution(b -> b.executionArn(s2)).output())).isEqualTo(MAPPER.readTree("[\"B1\"]"));
            answer(sfn, tokens.get("a2"), "\"A2\"");
            DescribeExecutionResponse done = awaitEnd(sfn, s1);
            assertThat(MAPPER.readTree(done.output())).isEqualTo(MAPPER.readTree("[\"A1\",\"A2\"]"));
            assertContiguousIds(history(sfn, s1));
            assertContiguousIds(history(sfn, s2));
        } finally {
            second.close();
        }
    }

    @Test
    void aPendingRetryRunsAtItsTimeWithItsCountersAfterARestart() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2024-01-01T00:00:00Z"));
        String missing = sqs.endpoint + "/000000000000/no-such-queue";
        String definition = """
                {"StartAt":"Send","States":{
                  "Send":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage",
                    "Parameters":{"QueueUrl":"%s","MessageBody":"x"},
                    "Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":600,"MaxAttempts":2,"BackoffRate":1}],
                    "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"Caught"}],"End":true},
                  "Caught":{"Type":"Pass","End":true}}}""".formatted(missing);
        String exec;
        for (int restart = 0; restart < 3; restart++) {
            StepFunctionsEmulator e = engine(clock, dataDir);
            try (SfnClient sfn = SfnTestSupport.client(e)) {
                if (restart == 0) {
                    String machine = createMachine(sfn, "retrying", definition);
                    sfn.startExecution(b -> b.stateMachineArn(machine).name("r1"));
                }
                exec = sfn.listExecutions(b -> b.stateMachineArn(SfnTestSupport.machineArn("retrying"))).executions().get(0).executionArn();
                String x = exec;
                int failures = restart + 1;
                await().atMost(Duration.ofSeconds(10)).alias("failures " + failures + " in " + x).until(() -> history(sfn, x).stream()
                        .filter(h -> h.type() == HistoryEventType.TASK_FAILED).count(), n -> n == failures);
                if (restart < 2) {
                    assertThat(sfn.describeExecution(b -> b.executionArn(x)).status()).isEqualTo(ExecutionStatus.RUNNING);
                    continue; // stop with the retry pending
                }
                DescribeExecutionResponse done = awaitEnd(sfn, x);
                assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
                assertThat(MAPPER.readTree(done.output()).path("error").path("Error").asText()).isNotEmpty();
                List<HistoryEvent> events = history(sfn, x);
                assertThat(events.stream().filter(h -> h.type() == HistoryEventType.TASK_SCHEDULED))
                        .as("MaxAttempts 2: three attempts in all, across two restarts").hasSize(3);
                assertContiguousIds(events);
            } finally {
                e.close();
                // the retry is due 600 s after the failure: it waits for the clock, not for the restart
                clock.advance(Duration.ofSeconds(600));
            }
        }
    }

    @Test
    void aParkedTasksTimeoutAndHeartbeatCountFromBeforeTheRestart() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2024-01-01T00:00:00Z"));
        String queue = sqs.client.createQueue(b -> b.queueName("resume-timeouts")).queueUrl();
        String definition = """
                {"StartAt":"Ask","States":{
                  "Ask":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","HeartbeatSeconds":50,
                    "TimeoutSeconds":300,"Parameters":{"QueueUrl":"%s","MessageBody":{"token.$":"$$.Task.Token","id":"t"}},
                    "Catch":[{"ErrorEquals":["States.HeartbeatTimeout"],"ResultPath":"$.error","Next":"Late"}],"End":true},
                  "Late":{"Type":"Pass","End":true}}}""".formatted(queue);
        String exec;
        StepFunctionsEmulator first = engine(clock, dataDir);
        try (SfnClient sfn = SfnTestSupport.client(first)) {
            String machine = createMachine(sfn, "beats", definition);
            exec = sfn.startExecution(b -> b.stateMachineArn(machine).name("b1")).executionArn();
            String token = receiveTokens(queue, 1).get("t");
            clock.advance(Duration.ofSeconds(40));
            sfn.sendTaskHeartbeat(b -> b.taskToken(token));
            clock.advance(Duration.ofSeconds(20));
        } finally {
            first.close();
        }
        StepFunctionsEmulator second = engine(clock, dataDir);
        try (SfnClient sfn = SfnTestSupport.client(second)) {
            // the heartbeat at 40 s gives until 90 s
            clock.advance(Duration.ofSeconds(25));
            assertThat(sfn.describeExecution(b -> b.executionArn(exec)).status()).isEqualTo(ExecutionStatus.RUNNING);
            clock.advance(Duration.ofSeconds(6));
            DescribeExecutionResponse done = awaitEnd(sfn, exec);
            assertThat(MAPPER.readTree(done.output()).path("error").path("Error").asText()).isEqualTo("States.HeartbeatTimeout");
            assertThat(history(sfn, exec)).extracting(HistoryEvent::type).contains(HistoryEventType.TASK_TIMED_OUT);
        } finally {
            second.close();
        }
    }

    @Test
    void aDistributedMapsRunGoesOnWithItsChildrenAfterARestart() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2024-01-01T00:00:00Z"));
        String queue = sqs.client.createQueue(b -> b.queueName("resume-distributed")).queueUrl();
        String definition = """
                {"StartAt":"Batches","States":{
                  "Batches":{"Type":"Map","ItemsPath":"$.rows","MaxConcurrency":2,"ItemBatcher":{"MaxItemsPerBatch":2},
                    "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
                      "StartAt":"Handle","States":{"Handle":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                        "Parameters":{"QueueUrl":"%s","MessageBody":{"token.$":"$$.Task.Token","id.$":"States.Format('{}', $.Items[0])"}},
                        "End":true}}},
                    "End":true}}}""".formatted(queue);
        String exec;
        Map<String, String> tokens;
        StepFunctionsEmulator first = engine(clock, dataDir);
        try (SfnClient sfn = SfnTestSupport.client(first)) {
            String machine = createMachine(sfn, "batches", definition);
            exec = sfn.startExecution(b -> b.stateMachineArn(machine).name("d1").input("{\"rows\":[1,2,3,4,5,6,7]}")).executionArn();
            tokens = receiveTokens(queue, 2);
            answer(sfn, tokens.get("1"), "{\"batch\":1}");
            tokens.putAll(receiveTokens(queue, 1));
            assertThat(tokens).containsKey("5");
        } finally {
            first.close();
        }
        StepFunctionsEmulator second = engine(clock, dataDir);
        try (SfnClient sfn = SfnTestSupport.client(second)) {
            answer(sfn, tokens.get("3"), "{\"batch\":2}");
            tokens.putAll(receiveTokens(queue, 1));
            answer(sfn, tokens.get("5"), "{\"batch\":3}");
            answer(sfn, tokens.get("7"), "{\"batch\":4}");
            DescribeExecutionResponse done = awaitEnd(sfn, exec);
            assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(MAPPER.readTree(done.output())).isEqualTo(MAPPER.readTree("[{\"batch\":1},{\"batch\":2},{\"batch\":3},{\"batch\":4}]"));
            String mapRun = sfn.listMapRuns(b -> b.executionArn(exec)).mapRuns().get(0).mapRunArn();
            DescribeMapRunResponse run = sfn.describeMapRun(b -> b.mapRunArn(mapRun));
            assertThat(run.itemCounts().succeeded()).isEqualTo(7);
            assertThat(run.itemCounts().total()).isEqualTo(7);
            assertThat(run.executionCounts().succeeded()).isEqualTo(4);
            assertThat(sfn.listExecutions(b -> b.mapRunArn(mapRun)).executions()).as("no child started twice").hasSize(4);
        } finally {
            second.close();
        }
    }

    /**
     * The journal cut at every line boundary (a kill -9 between any two writes) and inside lines (a torn write):
     * the engine starts, and the execution finishes with the output of an uninterrupted run and a history whose ids
     * run without gaps. The machine has a Choice, variables, an inline Map with MaxConcurrency, a Wait, a Parallel
     * and a Map whose failing iteration is caught.
     */
    @Test
    void aJournalCutAtAnyByteResumesToTheSameOutput() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2024-01-01T00:00:00Z"));
        String definition = """
                {"StartAt":"Init","States":{
                  "Init":{"Type":"Pass","Assign":{"factor":10},"Result":{"items":[1,2,3,4,5]},"Next":"Pick"},
                  "Pick":{"Type":"Choice","Choices":[{"Variable":"$.items[0]","NumericEquals":1,"Next":"Fan"}],"Default":"Bad"},
                  "Bad":{"Type":"Fail","Error":"Wrong"},
                  "Fan":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":2,"ResultPath":"$.mapped","Next":"Both",
                    "ItemProcessor":{"StartAt":"Scale","States":{
                      "Scale":{"Type":"Pass","Parameters":{"v.$":"$","f.$":"$factor"},"Next":"Nap"},
                      "Nap":{"Type":"Wait","Seconds":0,"End":true}}}},
                  "Both":{"Type":"Parallel","ResultPath":"$.both","Next":"Risky","Branches":[
                    {"StartAt":"A","States":{"A":{"Type":"Pass","Result":"a","End":true}}},
                    {"StartAt":"B","States":{"B":{"Type":"Pass","Result":"b","Next":"B2"},"B2":{"Type":"Pass","End":true}}}]},
                  "Risky":{"Type":"Map","ItemsPath":"$.items","ResultPath":"$.risky","Next":"Done",
                    "Catch":[{"ErrorEquals":["Boom"],"ResultPath":"$.caught","Next":"Done"}],
                    "ItemProcessor":{"StartAt":"Check","States":{
                      "Check":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":4,"Next":"Explode"}],"Default":"Fine"},
                      "Explode":{"Type":"Fail","Error":"Boom","Cause":"four"},
                      "Fine":{"Type":"Pass","End":true}}}},
                  "Done":{"Type":"Pass","End":true}}}""";
        Path reference = dataDir.resolve("reference");
        String exec;
        JsonNode expected;
        StepFunctionsEmulator ref = engine(clock, reference);
        try (SfnClient sfn = SfnTestSupport.client(ref)) {
            String machine = createMachine(sfn, "everything", definition);
            exec = sfn.startExecution(b -> b.stateMachineArn(machine).name("x1")).executionArn();
            DescribeExecutionResponse done = awaitEnd(sfn, exec);
            assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            expected = MAPPER.readTree(done.output());
            assertThat(expected.path("caught").path("Cause").asText()).isEqualTo("four");
        } finally {
            ref.close();
        }
        byte[] journal = Files.readAllBytes(onlyJournal(reference));
        TreeMap<Integer, String> cuts = new TreeMap<>();
        for (int i = 0; i < journal.length; i++) {
            if (journal[i] == '\n') {
                cuts.put(i + 1, "after a line");
                if (i > 40) {
                    cuts.put(i - 20, "inside a line");
                }
            }
        }
        List<String> problems = new ArrayList<>();
        int resumed = 0;
        for (Map.Entry<Integer, String> cut : cuts.entrySet()) {
            Path dir = dataDir.resolve("cut-" + cut.getKey());
            Files.createDirectories(dir.resolve("journal"));
            Files.write(dir.resolve("journal").resolve("journal-1.log"), java.util.Arrays.copyOf(journal, cut.getKey()));
            StepFunctionsEmulator e = engine(clock, dir);
            try (SfnClient sfn = SfnTestSupport.client(e)) {
                if (sfn.listStateMachines().stateMachines().isEmpty()
                        || sfn.listExecutions(b -> b.stateMachineArn(SfnTestSupport.machineArn("everything"))).executions().isEmpty()) {
                    continue; // cut before the start was durable: it was never acknowledged
                }
                DescribeExecutionResponse done = awaitEnd(sfn, exec);
                if (done.status() != ExecutionStatus.SUCCEEDED || !MAPPER.readTree(done.output()).equals(expected)) {
                    problems.add("cut at byte " + cut.getKey() + " (" + cut.getValue() + "): " + done.status() + " " + done.output()
                            + " " + done.error() + " " + done.cause());
                }
                if (!history(sfn, exec).isEmpty()) {
                    assertContiguousIds(history(sfn, exec));
                }
                resumed++;
            } finally {
                e.close();
            }
        }
        assertThat(problems).isEmpty();
        assertThat(resumed).as("most cuts fall after the start").isGreaterThan(cuts.size() / 2);
    }

    private static Path onlyJournal(Path dir) throws IOException {
        try (var files = Files.list(dir.resolve("journal"))) {
            List<Path> logs = files.filter(p -> p.getFileName().toString().startsWith("journal-") && sizeOf(p) > 0).toList();
            assertThat(logs).hasSize(1);
            return logs.get(0);
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
