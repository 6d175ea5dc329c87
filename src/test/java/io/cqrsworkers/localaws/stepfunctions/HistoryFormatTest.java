package io.cqrsworkers.localaws.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.localaws.emulator.ManualClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sqs.model.Message;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.cqrsworkers.localaws.stepfunctions.HistoryFormatFixture.rawHistory;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The history the API answers does not depend on how it was stored: the same bytes from the heap, from the compact
 * journal after a restart (also across a snapshot), from a closed execution's gzipped file, and from a data directory
 * written by a version before the compact format ({@code src/test/resources/stepfunctions/history-format/v1}).
 */
class HistoryFormatTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path V1 = Path.of("src/test/resources/stepfunctions/history-format/v1");
    private static final String EXECUTION = "arn:aws:states:us-east-1:000000000000:execution:fixture:";
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

    private StepFunctionsEmulator engine(ManualClock clock, long snapshotAfterBytes) throws Exception {
        StepFunctionsEmulator e = StepFunctionsEmulator.builder().dataDir(dataDir).clock(clock).sqsEndpoint(sqs.endpoint)
                .snapshotAfterBytes(snapshotAfterBytes).build();
        e.start();
        return e;
    }

    private static List<String> events(String rawAnswer) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode e : MAPPER.readTree(rawAnswer).path("events")) {
            out.add(MAPPER.writeValueAsString(e));
        }
        return out;
    }

    private static String tokenOf(String rawAnswer) throws Exception {
        String token = null;
        for (JsonNode e : MAPPER.readTree(rawAnswer).path("events")) {
            if (e.path("type").asText().equals("TaskScheduled")) {
                token = MAPPER.readTree(e.path("taskScheduledEventDetails").path("parameters").asText())
                        .path("MessageBody").path("token").asText();
            }
        }
        return token;
    }

    private static void awaitEvent(SfnClient sfn, String arn, HistoryEventType type) {
        await().atMost(Duration.ofSeconds(10)).until(() -> SfnTestSupport.history(sfn, arn).stream().anyMatch(e -> e.type() == type));
    }

    @Test
    void aDataDirectoryOfTheFirstFormatReadsAsItWasWrittenAndGoesOn() throws Exception {
        try (Stream<Path> files = Files.walk(V1.resolve("data"))) {
            for (Path p : files.toList()) {
                Path to = dataDir.resolve(V1.resolve("data").relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        Map<String, String> recorded = Map.of("closed", Files.readString(V1.resolve("closed.history.json")),
                "waiting", Files.readString(V1.resolve("waiting.history.json")),
                "asking", Files.readString(V1.resolve("asking.history.json")));
        ManualClock clock = new ManualClock(HistoryFormatFixture.T0.plusSeconds(600));
        Map<String, String> after = new java.util.HashMap<>();
        StepFunctionsEmulator second = engine(clock, Long.MAX_VALUE);
        try (SfnClient sfn = SfnTestSupport.client(second)) {
            for (var r : recorded.entrySet()) {
                assertThat(rawHistory(second.endpoint(), EXECUTION + r.getKey())).as(r.getKey()).isEqualTo(r.getValue());
            }
            // the two that ran go on: one answered, both past their Wait
            sfn.sendTaskSuccess(b -> b.taskToken(tokenOfUnchecked(recorded.get("asking"))).output("{\"ok\":3}"));
            awaitEvent(sfn, EXECUTION + "asking", HistoryEventType.WAIT_STATE_ENTERED);
            clock.advance(Duration.ofSeconds(600));
            for (String name : List.of("waiting", "asking")) {
                assertThat(SfnTestSupport.awaitEnd(sfn, EXECUTION + name).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
                String now = rawHistory(second.endpoint(), EXECUTION + name);
                assertThat(events(now)).as(name).startsWith(events(recorded.get(name)).toArray(String[]::new));
                after.put(name, now);
            }
            after.put("closed", recorded.get("closed"));
        } finally {
            second.close();
        }
        try (Stream<Path> files = Files.list(dataDir.resolve("histories"))) {
            assertThat(files.map(p -> p.getFileName().toString().replaceAll(".*%3Afixture%3A", "")))
                    .containsExactlyInAnyOrder("closed.jsonl", "waiting.jsonl.gz", "asking.jsonl.gz");
        }
        StepFunctionsEmulator third = engine(clock, Long.MAX_VALUE);
        try {
            for (var r : after.entrySet()) {
                assertThat(rawHistory(third.endpoint(), EXECUTION + r.getKey())).as(r.getKey()).isEqualTo(r.getValue());
            }
        } finally {
            third.close();
        }
    }

    private static String tokenOfUnchecked(String rawAnswer) {
        try {
            return tokenOf(rawAnswer);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theHistoryReadsTheSameFromTheHeapTheJournalASnapshotAndTheFile() throws Exception {
        ManualClock clock = new ManualClock(HistoryFormatFixture.T0);
        String queueUrl = sqs.client.createQueue(b -> b.queueName("history-format")).queueUrl();
        String input = "{\"items\":[1,{\"b\":\"two\"},[3]],\"who\":\"ünïcode \\\"quoted\\\"\",\"pad\":\"" + "x".repeat(300) + "\"}";
        String asking = EXECUTION + "asking";
        String waiting = EXECUTION + "waiting";
        String askingBefore;
        String waitingBefore;
        String askingAnswered;
        StepFunctionsEmulator first = engine(clock, 1);
        try (SfnClient sfn = SfnTestSupport.client(first)) {
            String machine = SfnTestSupport.createMachine(sfn, "fixture", HistoryFormatFixture.DEFINITION.formatted(queueUrl));
            sfn.startExecution(b -> b.stateMachineArn(machine).name("waiting").input(input));
            sfn.sendTaskSuccess(b -> b.taskToken(receiveToken(queueUrl)).output("{\"ok\":2}"));
            awaitEvent(sfn, waiting, HistoryEventType.WAIT_STATE_ENTERED);
            sfn.startExecution(b -> b.stateMachineArn(machine).name("asking").input(input));
            String token = receiveToken(queueUrl);
            awaitEvent(sfn, asking, HistoryEventType.TASK_SUBMITTED);
            askingBefore = rawHistory(first.endpoint(), asking);
            waitingBefore = rawHistory(first.endpoint(), waiting);
            // a snapshot while both run; what is written after it refers to entries in it
            clock.advance(Duration.ofSeconds(31));
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.list(dataDir.resolve("journal"))
                    .anyMatch(p -> p.getFileName().toString().startsWith("snapshot-")));
            assertThat(rawHistory(first.endpoint(), asking)).isEqualTo(askingBefore);
            sfn.sendTaskSuccess(b -> b.taskToken(token).output("{\"ok\":1}"));
            awaitEvent(sfn, asking, HistoryEventType.WAIT_STATE_ENTERED);
            askingAnswered = rawHistory(first.endpoint(), asking);
        } finally {
            first.close();
        }
        String journal = journalText();
        assertThat(journal).contains("\"E\":[").doesNotContain("\"x\":\"" + asking + "\",\"q\"");

        String askingDone;
        String waitingDone;
        StepFunctionsEmulator second = engine(clock, Long.MAX_VALUE);
        try (SfnClient sfn = SfnTestSupport.client(second)) {
            assertThat(rawHistory(second.endpoint(), asking)).isEqualTo(askingAnswered);
            assertThat(rawHistory(second.endpoint(), waiting)).isEqualTo(waitingBefore);
            assertThat(events(askingAnswered)).startsWith(events(askingBefore).toArray(String[]::new));
            clock.advance(Duration.ofSeconds(600));
            SfnTestSupport.awaitEnd(sfn, asking);
            SfnTestSupport.awaitEnd(sfn, waiting);
            askingDone = rawHistory(second.endpoint(), asking);
            waitingDone = rawHistory(second.endpoint(), waiting);
            assertThat(events(askingDone)).startsWith(events(askingAnswered).toArray(String[]::new));
            assertThat(events(waitingDone)).startsWith(events(waitingBefore).toArray(String[]::new));
        } finally {
            second.close();
        }
        try (Stream<Path> files = Files.list(dataDir.resolve("histories"))) {
            assertThat(files.map(p -> p.getFileName().toString())).allMatch(n -> n.endsWith(".jsonl.gz")).hasSize(2);
        }
        StepFunctionsEmulator third = engine(clock, Long.MAX_VALUE);
        try {
            assertThat(rawHistory(third.endpoint(), asking)).isEqualTo(askingDone);
            assertThat(rawHistory(third.endpoint(), waiting)).isEqualTo(waitingDone);
        } finally {
            third.close();
        }
    }

    private String journalText() throws Exception {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.list(dataDir.resolve("journal"))) {
            for (Path p : files.sorted().toList()) {
                text.append(Files.readString(p));
            }
        }
        return text.toString();
    }

    private static String receiveToken(String queueUrl) {
        Message m = await().atMost(Duration.ofSeconds(5)).until(() -> sqs.client.receiveMessage(b -> b.queueUrl(queueUrl)
                .waitTimeSeconds(1)).messages(), l -> !l.isEmpty()).get(0);
        sqs.client.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
        try {
            return MAPPER.readTree(m.body()).path("token").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
