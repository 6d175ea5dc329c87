package io.cqrsworkers.localaws.stepfunctions;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.localaws.emulator.ManualClock;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sqs.model.Message;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.awaitility.Awaitility.await;

/**
 * Writes the data directory that {@code HistoryFormatTest} reads as "a directory of an earlier version":
 * {@code src/test/resources/stepfunctions/history-format/<format>/}, with the GetExecutionHistory answers of that
 * version next to it. The fixture {@code v1} (journal lines with the full execution ARN and the event as JSON, a closed
 * execution's history as plain JSON lines) was written by this class at commit 911532a, before the compact format;
 * run it again only to add a fixture for a newer format (the journal is {@code journal-N.log}, which .gitignore's
 * {@code *.log} hides: {@code git add -f} it):
 *
 * <pre>
 * java -cp "target/test-classes:target/classes:$(cat cp.txt)" io.cqrsworkers.localaws.stepfunctions.HistoryFormatFixture \
 *   src/test/resources/stepfunctions/history-format/vN
 * </pre>
 */
public final class HistoryFormatFixture {
    static final Instant T0 = Instant.parse("2024-03-01T10:00:00Z");
    static final String DEFINITION = """
            {"StartAt":"Prepare","States":{
              "Prepare":{"Type":"Pass","Parameters":{"items.$":"$.items","who.$":"$.who","note":"a \\"quoted\\" value, ünïcode and a \\\\ backslash"},"Next":"Ask"},
              "Ask":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","TimeoutSeconds":3600,
                "Parameters":{"QueueUrl":"%s","MessageBody":{"context.$":"$$","input.$":"$","token.$":"$$.Task.Token"}},
                "ResultPath":"$.answer","Next":"Each"},
              "Each":{"Type":"Map","ItemsPath":"$.items","ResultPath":"$.each","ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},
                "StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"item.$":"$","execution.$":"$$.Execution.Input"},"End":true}}},"Next":"Later"},
              "Later":{"Type":"Wait","Seconds":600,"Next":"Done"},
              "Done":{"Type":"Succeed"}}}""";

    private HistoryFormatFixture() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Path dataDir = out.resolve("data");
        Files.createDirectories(dataDir);
        ObjectMapper json = new ObjectMapper();
        ManualClock clock = new ManualClock(T0);
        try (LocalSqs sqs = new LocalSqs()) {
            String queueUrl = sqs.client.createQueue(b -> b.queueName("fixture")).queueUrl();
            StepFunctionsEmulator engine = StepFunctionsEmulator.builder().dataDir(dataDir).clock(clock)
                    .sqsEndpoint(sqs.endpoint).build();
            engine.start();
            try (SfnClient sfn = SfnTestSupport.client(engine)) {
                String machine = SfnTestSupport.createMachine(sfn, "fixture", DEFINITION.formatted(queueUrl));
                String input = "{\"items\":[1,{\"b\":\"two\"},[3]],\"who\":\"ünïcode \\\"quoted\\\"\",\"pad\":\"" + "x".repeat(300) + "\"}";
                // closed: answered, past its Wait
                String closed = sfn.startExecution(b -> b.stateMachineArn(machine).name("closed").input(input)).executionArn();
                answer(sfn, sqs, queueUrl, json, "{\"ok\":1}");
                await().atMost(Duration.ofSeconds(5)).until(() -> SfnTestSupport.history(sfn, closed).stream()
                        .anyMatch(e -> e.type() == HistoryEventType.WAIT_STATE_ENTERED));
                clock.advance(Duration.ofSeconds(600));
                SfnTestSupport.awaitEnd(sfn, closed);
                // waiting: answered, parked in its Wait
                String waiting = sfn.startExecution(b -> b.stateMachineArn(machine).name("waiting").input(input)).executionArn();
                answer(sfn, sqs, queueUrl, json, "{\"ok\":2}");
                await().atMost(Duration.ofSeconds(5)).until(() -> SfnTestSupport.history(sfn, waiting).stream()
                        .anyMatch(e -> e.type() == HistoryEventType.WAIT_STATE_ENTERED));
                // asking: parked on its task token (the token is in its TaskScheduled parameters)
                String asking = sfn.startExecution(b -> b.stateMachineArn(machine).name("asking").input(input)).executionArn();
                await().atMost(Duration.ofSeconds(5)).until(() -> SfnTestSupport.history(sfn, asking).stream()
                        .anyMatch(e -> e.type() == HistoryEventType.TASK_SUBMITTED));
                for (String arn : new String[] {closed, waiting, asking}) {
                    Files.writeString(out.resolve(arn.substring(arn.lastIndexOf(':') + 1) + ".history.json"), rawHistory(engine.endpoint(), arn));
                }
            } finally {
                engine.close();
            }
        }
    }

    private static void answer(SfnClient sfn, LocalSqs sqs, String queueUrl, ObjectMapper json, String output) {
        Message m = await().atMost(Duration.ofSeconds(5)).until(() -> sqs.client.receiveMessage(b -> b.queueUrl(queueUrl)
                .waitTimeSeconds(1)).messages(), l -> !l.isEmpty()).get(0);
        sqs.client.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
        String token;
        try {
            token = json.readTree(m.body()).path("token").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        sfn.sendTaskSuccess(b -> b.taskToken(token).output(output));
    }

    /** The raw GetExecutionHistory answer (one page of up to 1,000 events), as the API writes it. */
    static String rawHistory(URI endpoint, String executionArn) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint)
                        .header("content-type", "application/x-amz-json-1.0")
                        .header("X-Amz-Target", "AWSStepFunctions.GetExecutionHistory")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"executionArn\":\"" + executionArn + "\",\"maxResults\":1000}")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
