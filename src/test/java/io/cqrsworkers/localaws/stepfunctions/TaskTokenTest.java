package io.cqrsworkers.localaws.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.localaws.emulator.ManualClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;
import software.amazon.awssdk.services.sqs.model.Message;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.cqrsworkers.localaws.stepfunctions.SfnTestSupport.awaitEnd;
import static io.cqrsworkers.localaws.stepfunctions.SfnTestSupport.createMachine;
import static io.cqrsworkers.localaws.stepfunctions.SfnTestSupport.history;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** sqs:sendMessage(.waitForTaskToken) against the SQS emulator, SendTask*, heartbeats and timeouts on a manual clock. */
class TaskTokenTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static ManualClock clock = new ManualClock(Instant.parse("2024-01-01T00:00:00Z"));
    static LocalSqs sqs;
    static StepFunctionsEmulator emulator;
    static SfnClient sfn;
    static String queueUrl;
    static String machineArn;

    @BeforeAll
    static void start() throws Exception {
        sqs = new LocalSqs();
        emulator = StepFunctionsEmulator.builder().clock(clock).sqsEndpoint(sqs.endpoint).build();
        emulator.start();
        sfn = SfnTestSupport.client(emulator);
        queueUrl = sqs.client.createQueue(b -> b.queueName("worker")).queueUrl();
        machineArn = createMachine(sfn, "callback", """
                {"StartAt":"Step","States":{"Step":{"Type":"Task",
                  "Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                  "Parameters":{"QueueUrl":"%s","MessageBody":{"input.$":"$","context.$":"$$","taskToken.$":"$$.Task.Token"}},
                  "TimeoutSeconds":60,"HeartbeatSeconds":10,"ResultPath":"$.result","End":true}}}""".formatted(queueUrl));
    }

    @AfterAll
    static void stop() {
        sfn.close();
        emulator.close();
        sqs.close();
    }

    private static JsonNode receive() throws Exception {
        List<Message> messages = await().atMost(Duration.ofSeconds(5))
                .until(() -> sqs.client.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(1)).messages(), m -> !m.isEmpty());
        sqs.client.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(messages.get(0).receiptHandle()));
        return MAPPER.readTree(messages.get(0).body());
    }

    private static String startAndReceiveToken(String name) throws Exception {
        sfn.startExecution(b -> b.stateMachineArn(machineArn).name(name).input("{\"n\":1}"));
        JsonNode body = receive();
        assertThat(body.path("input").path("n").asInt()).isEqualTo(1);
        assertThat(body.path("context").path("State").path("Name").asText()).isEqualTo("Step");
        return body.path("taskToken").asText();
    }

    private static String arn(String name) {
        return "arn:aws:states:us-east-1:000000000000:execution:callback:" + name;
    }

    @Test
    void successResumesTheExecutionWithTheOutput() throws Exception {
        String token = startAndReceiveToken("ok");
        sfn.sendTaskHeartbeat(b -> b.taskToken(token));
        sfn.sendTaskSuccess(b -> b.taskToken(token).output("{\"done\":true}"));
        DescribeExecutionResponse d = awaitEnd(sfn, arn("ok"));
        assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(d.output()).isEqualTo("{\"n\":1,\"result\":{\"done\":true}}");
        assertThat(history(sfn, arn("ok"))).extracting(HistoryEvent::type).containsExactly(
                HistoryEventType.EXECUTION_STARTED, HistoryEventType.TASK_STATE_ENTERED, HistoryEventType.TASK_SCHEDULED,
                HistoryEventType.TASK_STARTED, HistoryEventType.TASK_SUBMITTED, HistoryEventType.TASK_SUCCEEDED,
                HistoryEventType.TASK_STATE_EXITED, HistoryEventType.EXECUTION_SUCCEEDED);
        HistoryEvent scheduled = history(sfn, arn("ok")).get(2);
        assertThat(scheduled.taskScheduledEventDetails().resourceType()).isEqualTo("sqs");
        assertThat(scheduled.taskScheduledEventDetails().resource()).isEqualTo("sendMessage.waitForTaskToken");
        assertThat(scheduled.taskScheduledEventDetails().heartbeatInSeconds()).isEqualTo(10L);
        assertThatThrownBy(() -> sfn.sendTaskSuccess(b -> b.taskToken(token).output("{}")))
                .isInstanceOf(TaskTimedOutException.class);
    }

    @Test
    void failureFailsTheExecution() throws Exception {
        String token = startAndReceiveToken("fail");
        sfn.sendTaskFailure(b -> b.taskToken(token).error("Worker.Error").cause("it broke"));
        DescribeExecutionResponse d = awaitEnd(sfn, arn("fail"));
        assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(d.error()).isEqualTo("Worker.Error");
        assertThat(d.cause()).isEqualTo("it broke");
    }

    @Test
    void missedHeartbeatTimesTheTaskOut() throws Exception {
        startAndReceiveToken("heartbeat");
        clock.advance(Duration.ofSeconds(11));
        DescribeExecutionResponse d = awaitEnd(sfn, arn("heartbeat"));
        assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(d.error()).isEqualTo("States.HeartbeatTimeout");
        assertThat(history(sfn, arn("heartbeat"))).extracting(HistoryEvent::type).contains(HistoryEventType.TASK_TIMED_OUT);
    }

    @Test
    void heartbeatsKeepTheTaskAliveUntilTimeoutSeconds() throws Exception {
        String token = startAndReceiveToken("timeout");
        for (int i = 0; i < 7; i++) {
            clock.advance(Duration.ofSeconds(8));
            sfn.sendTaskHeartbeat(b -> b.taskToken(token));
        }
        assertThat(sfn.describeExecution(b -> b.executionArn(arn("timeout"))).status()).isEqualTo(ExecutionStatus.RUNNING);
        clock.advance(Duration.ofSeconds(5));
        DescribeExecutionResponse d = awaitEnd(sfn, arn("timeout"));
        assertThat(d.error()).isEqualTo("States.Timeout");
    }

    @Test
    void aRetriedTaskGetsANewToken() throws Exception {
        String arn = createMachine(sfn, "retried", """
                {"StartAt":"Step","States":{"Step":{"Type":"Task",
                  "Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                  "Parameters":{"QueueUrl":"%s","MessageBody":{"input.$":"$","taskToken.$":"$$.Task.Token","retry.$":"$$.State.RetryCount"}},
                  "Retry":[{"ErrorEquals":["Worker.Error"],"IntervalSeconds":2,"MaxAttempts":1}],"End":true}}}""".formatted(queueUrl));
        String exec = sfn.startExecution(b -> b.stateMachineArn(arn).input("{\"n\":1}")).executionArn();
        JsonNode first = receive();
        sfn.sendTaskFailure(b -> b.taskToken(first.path("taskToken").asText()).error("Worker.Error"));
        await().atMost(Duration.ofSeconds(5)).until(() -> history(sfn, exec).stream().anyMatch(e -> e.type() == HistoryEventType.TASK_FAILED));
        clock.advance(Duration.ofSeconds(2));
        JsonNode second = receive();
        assertThat(second.path("retry").asInt()).isEqualTo(1);
        assertThat(second.path("taskToken").asText()).isNotEqualTo(first.path("taskToken").asText());
        assertThatThrownBy(() -> sfn.sendTaskSuccess(b -> b.taskToken(first.path("taskToken").asText()).output("{}")))
                .isInstanceOf(TaskTimedOutException.class);
        sfn.sendTaskSuccess(b -> b.taskToken(second.path("taskToken").asText()).output("\"second\""));
        assertThat(awaitEnd(sfn, exec).output()).isEqualTo("\"second\"");
    }

    @Test
    void rejectsMalformedTokens() {
        assertThatThrownBy(() -> sfn.sendTaskSuccess(b -> b.taskToken("nope").output("{}")))
                .isInstanceOf(InvalidTokenException.class).hasMessageContaining("Invalid Token");
    }

    @Test
    void requestResponseSendMessageReturnsTheSqsResponse() throws Exception {
        String arn = createMachine(sfn, "send", """
                {"StartAt":"Send","States":{"Send":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage",
                  "Parameters":{"QueueUrl":"%s","MessageBody.$":"$.text"},"End":true}}}""".formatted(queueUrl));
        String exec = sfn.startExecution(b -> b.stateMachineArn(arn).input("{\"text\":\"hello\"}")).executionArn();
        DescribeExecutionResponse d = awaitEnd(sfn, exec);
        assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(MAPPER.readTree(d.output()).has("MessageId")).isTrue();
        assertThat(MAPPER.readTree(d.output()).path("MD5OfMessageBody").asText()).isEqualTo("5d41402abc4b2a76b9719d911017c592");
        List<Message> m = sqs.client.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(1)).messages();
        assertThat(m).extracting(Message::body).containsExactly("hello");
        sqs.client.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.get(0).receiptHandle()));
    }

    @Test
    void sqsErrorsAreCatchableTaskErrors() {
        String arn = createMachine(sfn, "badqueue", """
                {"StartAt":"Send","States":{"Send":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage",
                  "Parameters":{"QueueUrl":"http://127.0.0.1:1/000000000000/none","MessageBody":"x"},
                  "Catch":[{"ErrorEquals":["States.TaskFailed"],"Next":"Caught"}],"End":true},
                  "Caught":{"Type":"Pass","End":true}}}""");
        String exec = sfn.startExecution(b -> b.stateMachineArn(arn)).executionArn();
        DescribeExecutionResponse d = awaitEnd(sfn, exec);
        assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(d.output()).contains("\"Error\":\"SQS.");
    }
}
