package io.cqrsworkers.localaws.sqs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksResultEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sqs.model.SqsException;
import software.amazon.awssdk.services.sqs.model.UnsupportedOperationException;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** StartMessageMoveTask, ListMessageMoveTasks, CancelMessageMoveTask through the SDK. */
class MessageMoveTaskTest extends SqsTestSupport {

    @TempDir
    Path dir;

    @Test
    void withoutDestinationEveryMessageGoesBackToTheQueueItWasDeadLetteredFrom() {
        String dlq = createQueue("dlq");
        String a = withDeadLetterQueue(sqs, "a", arn(sqs, dlq));
        String b = withDeadLetterQueue(sqs, "b", arn(sqs, dlq));
        deadLetter(sqs, a, "a1", "a2");
        deadLetter(sqs, b, "b1");
        assertThat(count(sqs, dlq)).isEqualTo(3);

        String handle = sqs.startMessageMoveTask(r -> r.sourceArn(arn(sqs, dlq))).taskHandle();
        assertThat(new String(Base64.getDecoder().decode(handle), StandardCharsets.UTF_8))
                .contains("\"taskId\":").contains("\"sourceArn\":\"" + arn(sqs, dlq) + "\"");
        ListMessageMoveTasksResultEntry done = awaitEnd(sqs, arn(sqs, dlq));

        assertThat(done.status()).isEqualTo("COMPLETED");
        assertThat(done.approximateNumberOfMessagesMoved()).isEqualTo(3);
        assertThat(done.approximateNumberOfMessagesToMove()).isEqualTo(3);
        assertThat(done.taskHandle()).as("listed only while RUNNING").isNull();
        assertThat(done.destinationArn()).isNull();
        assertThat(done.maxNumberOfMessagesPerSecond()).isNull();
        assertThat(done.startedTimestamp()).isPositive();
        assertThat(bodies(sqs, a)).containsExactlyInAnyOrder("a1", "a2");
        assertThat(bodies(sqs, b)).containsExactly("b1");
        assertThat(count(sqs, dlq)).isZero();
    }

    @Test
    void aMovedMessageStartsOverInItsDestination() {
        String dlq = createQueue("dlq-fresh");
        String work = withDeadLetterQueue(sqs, "fresh", arn(sqs, dlq));
        deadLetter(sqs, work, "again");
        sqs.startMessageMoveTask(r -> r.sourceArn(arn(sqs, dlq)).destinationArn(arn(sqs, work)));
        assertThat(awaitEnd(sqs, arn(sqs, dlq)).destinationArn()).isEqualTo(arn(sqs, work));

        // receive count 0 again: one more receive stays in the queue (maxReceiveCount 1) instead of going back
        Message m = sqs.receiveMessage(r -> r.queueUrl(work).visibilityTimeout(0)
                .messageSystemAttributeNames(software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName.ALL))
                .messages().get(0);
        assertThat(m.body()).isEqualTo("again");
        assertThat(m.attributesAsStrings()).containsEntry("ApproximateReceiveCount", "1")
                .doesNotContainKey("DeadLetterQueueSourceArn");
    }

    @Test
    void aRateLimitedTaskRunsCanBeCancelledAndLeavesTheRestInTheDeadLetterQueue() {
        String dlq = createQueue("dlq-slow");
        String work = withDeadLetterQueue(sqs, "slow", arn(sqs, dlq));
        String other = createQueue("elsewhere");
        deadLetter(sqs, work, "m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9");
        String source = arn(sqs, dlq);

        String handle = sqs.startMessageMoveTask(r -> r.sourceArn(source).destinationArn(arn(sqs, other))
                .maxNumberOfMessagesPerSecond(2)).taskHandle();
        ListMessageMoveTasksResultEntry running = sqs.listMessageMoveTasks(r -> r.sourceArn(source)).results().get(0);
        assertThat(running.status()).isEqualTo("RUNNING");
        assertThat(running.taskHandle()).isEqualTo(handle);
        assertThat(running.maxNumberOfMessagesPerSecond()).isEqualTo(2);
        assertThat(running.approximateNumberOfMessagesToMove()).isEqualTo(10);

        assertThatThrownBy(() -> sqs.startMessageMoveTask(r -> r.sourceArn(source)))
                .isInstanceOf(SqsException.class).hasMessageStartingWith("There is already a task "
                        + "running. Only one active task is allowed for a source queue arn at a given time.");

        await().atMost(Duration.ofSeconds(10)).until(() -> count(sqs, other) >= 1);
        long movedAtCancel = sqs.cancelMessageMoveTask(r -> r.taskHandle(handle)).approximateNumberOfMessagesMoved();
        ListMessageMoveTasksResultEntry cancelled = awaitEnd(sqs, source);
        assertThat(cancelled.status()).isEqualTo("CANCELLED");
        assertThat(cancelled.approximateNumberOfMessagesMoved()).isGreaterThanOrEqualTo(movedAtCancel).isLessThan(10);
        long moved = cancelled.approximateNumberOfMessagesMoved();
        assertThat(count(sqs, other)).isEqualTo(moved);
        assertThat(count(sqs, dlq)).isEqualTo(10 - moved);

        assertThatThrownBy(() -> sqs.cancelMessageMoveTask(r -> r.taskHandle(handle)))
                .isInstanceOf(UnsupportedOperationException.class);
        // a new task may start once the last one has ended; the list shows the newest first
        sqs.startMessageMoveTask(r -> r.sourceArn(source).destinationArn(arn(sqs, other)));
        awaitEnd(sqs, source);
        List<ListMessageMoveTasksResultEntry> both = sqs.listMessageMoveTasks(r -> r.sourceArn(source).maxResults(10))
                .results();
        assertThat(both).extracting(e -> e.status())
                .containsExactly("COMPLETED", "CANCELLED");
        assertThat(count(sqs, other)).isEqualTo(10);
    }

    @Test
    void requestsAreCheckedAsSqsChecksThem() {
        String dlq = createQueue("dlq-checks");
        withDeadLetterQueue(sqs, "checks", arn(sqs, dlq));
        String notDlq = createQueue("plain");
        String missing = arn(sqs, dlq) + "-missing";

        assertError(() -> sqs.startMessageMoveTask(r -> r.sourceArn(missing)), ResourceNotFoundException.class, 404,
                "The resource that you specified for the SourceArn parameter doesn't exist.");
        assertError(() -> sqs.startMessageMoveTask(r -> r.sourceArn(arn(sqs, notDlq))),
                InvalidParameterValue.class, 400, "Source queue must be configured as a Dead Letter Queue.");
        assertError(() -> sqs.startMessageMoveTask(r -> r.sourceArn(arn(sqs, dlq)).destinationArn(missing)),
                ResourceNotFoundException.class, 404,
                "The resource that you specified for the DestinationArn parameter doesn't exist.");
        assertError(() -> sqs.startMessageMoveTask(r -> r.sourceArn(arn(sqs, dlq)).maxNumberOfMessagesPerSecond(501)),
                InvalidParameterValue.class, 400, "Value 501 for parameter MaxNumberOfMessagesPerSecond is "
                        + "invalid. Reason: Must be between 1 and 500, if provided.");
        assertError(() -> sqs.cancelMessageMoveTask(r -> r.taskHandle("not-a-handle")),
                InvalidParameterValue.class, 400, "Value for parameter TaskHandle is invalid.");
        String unknownTask = Base64.getEncoder().encodeToString(("{\"taskId\":\"nope\",\"sourceArn\":\""
                + arn(sqs, dlq) + "\"}").getBytes(StandardCharsets.UTF_8));
        assertError(() -> sqs.cancelMessageMoveTask(r -> r.taskHandle(unknownTask)), ResourceNotFoundException.class,
                404, "Task does not exist.");
        assertError(() -> sqs.listMessageMoveTasks(r -> r.sourceArn(arn(sqs, dlq)).maxResults(11)),
                InvalidParameterValue.class, 400,
                "Value 11 for parameter MaxResults is invalid. Reason: Must be between 1 and 10, if provided.");
        assertThat(sqs.listMessageMoveTasks(r -> r.sourceArn(arn(sqs, dlq))).results()).isEmpty();
    }

    @Test
    void aKilledEmulatorLosesNoMessageOfAMoveAndTheTaskGoesOnAfterTheRestart() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                SqsEmulator.class.getName(), String.valueOf(port), dir.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String workName;
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            sent.add("k" + i);
        }
        try (SqsClient c = client(URI.create("http://127.0.0.1:" + port))) {
            String dlq = null;
            for (int attempt = 0; dlq == null; attempt++) {
                try {
                    dlq = c.createQueue(r -> r.queueName("killed-dlq")).queueUrl();
                } catch (SdkClientException notYet) {
                    if (attempt == 100) {
                        throw notYet;
                    }
                    Thread.sleep(100);
                }
            }
            String source = arn(c, dlq);
            String work = withDeadLetterQueue(c, "killed-work", source);
            workName = work.substring(work.lastIndexOf('/') + 1);
            deadLetter(c, work, sent.toArray(String[]::new));
            c.startMessageMoveTask(r -> r.sourceArn(source).maxNumberOfMessagesPerSecond(10));
            await().atMost(Duration.ofSeconds(20)).until(() -> c.listMessageMoveTasks(r -> r.sourceArn(source))
                    .results().get(0).approximateNumberOfMessagesMoved() >= 5);
        } finally {
            child.destroyForcibly().waitFor(); // SIGKILL in the middle of the move
        }
        try (SqsEmulator e = start(dir); SqsClient c = client(e.endpoint())) {
            String dlq = c.getQueueUrl(r -> r.queueName("killed-dlq")).queueUrl();
            String work = c.getQueueUrl(r -> r.queueName(workName)).queueUrl();
            ListMessageMoveTasksResultEntry end = awaitEnd(c, arn(c, dlq));
            assertThat(end.status()).isEqualTo("COMPLETED");
            assertThat(end.approximateNumberOfMessagesMoved()).isEqualTo(30);
            assertThat(count(c, dlq)).isZero();
            assertThat(bodies(c, work)).containsExactlyInAnyOrderElementsOf(sent);
        }
    }

    // ---- helpers

    /** The SDK has no class for InvalidParameterValue: it is an SqsException with that error code. */
    private interface InvalidParameterValue {
    }

    private static void assertError(Runnable call, Class<?> type, int status, String message) {
        assertThatThrownBy(call::run).isInstanceOf(type == InvalidParameterValue.class ? SqsException.class : type)
                .satisfies(e -> {
            SqsException sqsError = (SqsException) e;
            if (type == InvalidParameterValue.class) {
                assertThat(sqsError.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
            }
            assertThat(sqsError.statusCode()).isEqualTo(status);
            assertThat(sqsError.awsErrorDetails().errorMessage()).isEqualTo(message);
        });
    }

    private static ListMessageMoveTasksResultEntry awaitEnd(SqsClient c, String sourceArn) {
        ListMessageMoveTasksResultEntry[] last = new ListMessageMoveTasksResultEntry[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            last[0] = c.listMessageMoveTasks(r -> r.sourceArn(sourceArn)).results().get(0);
            return !List.of("RUNNING", "CANCELLING").contains(last[0].status());
        });
        return last[0];
    }

    private static String withDeadLetterQueue(SqsClient c, String prefix, String dlqArn) {
        return c.createQueue(r -> r.queueName(name(prefix)).attributes(Map.of(QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":1}"))).queueUrl();
    }

    /** Sends the bodies and receives them until the redrive policy has moved them all to the DLQ. */
    private static void deadLetter(SqsClient c, String url, String... bodies) {
        for (String body : bodies) {
            c.sendMessage(r -> r.queueUrl(url).messageBody(body));
        }
        int received = 0;
        while (received < bodies.length) {
            received += c.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(0))
                    .messages().size();
        }
        assertThat(c.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages()).isEmpty();
    }

    private static List<String> bodies(SqsClient c, String url) {
        List<String> out = new ArrayList<>();
        List<Message> got;
        do {
            got = c.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(60)).messages();
            got.forEach(m -> out.add(m.body()));
        } while (!got.isEmpty());
        return out;
    }

    private static long count(SqsClient c, String url) {
        Map<String, String> a = c.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.ALL))
                .attributesAsStrings();
        return Long.parseLong(a.get("ApproximateNumberOfMessages"))
                + Long.parseLong(a.get("ApproximateNumberOfMessagesNotVisible"));
    }

    private static String arn(SqsClient c, String url) {
        return c.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }
}
