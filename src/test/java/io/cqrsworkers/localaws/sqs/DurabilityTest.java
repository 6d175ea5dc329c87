package io.cqrsworkers.localaws.sqs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** A data directory keeps queues and unacknowledged messages across a restart; in-flight ones come back visible. */
class DurabilityTest {

    @TempDir
    Path dir;

    private void withEmulator(Consumer<SqsClient> work) throws Exception {
        try (SqsEmulator e = SqsTestSupport.start(dir); SqsClient c = SqsTestSupport.client(e.endpoint())) {
            work.accept(c);
        }
    }

    private static String url(SqsClient c, String name) {
        return c.getQueueUrl(r -> r.queueName(name)).queueUrl();
    }

    private static Map<String, Message> receiveAll(SqsClient c, String url) {
        Map<String, Message> out = new HashMap<>();
        List<Message> got;
        do {
            got = c.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).messageAttributeNames("All")
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            got.forEach(m -> out.put(m.body(), m));
        } while (!got.isEmpty());
        return out;
    }

    @Test
    void queuesAndUnacknowledgedMessagesSurviveARestart() throws Exception {
        String[] deletedHandle = new String[1];
        withEmulator(c -> {
            c.createQueue(r -> r.queueName("keep").attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "300"))
                    .tags(Map.of("team", "a")));
            c.createQueue(r -> r.queueName("dropped"));
            c.deleteQueue(r -> r.queueUrl(url(c, "dropped")));
            String url = url(c, "keep");
            for (int i = 0; i < 5; i++) {
                int n = i;
                c.sendMessage(r -> r.queueUrl(url).messageBody("m" + n).messageAttributes(Map.of("n",
                        MessageAttributeValue.builder().dataType("Number").stringValue(String.valueOf(n)).build())));
            }
            c.sendMessage(r -> r.queueUrl(url).messageBody("delayed").delaySeconds(900));
            List<Message> inFlight = c.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(2)).messages();
            assertThat(inFlight).hasSize(2);
            deletedHandle[0] = inFlight.get(0).receiptHandle();
            c.deleteMessage(r -> r.queueUrl(url).receiptHandle(deletedHandle[0]));
        });
        withEmulator(c -> {
            assertThat(c.listQueues().queueUrls()).hasSize(1).allMatch(u -> u.endsWith("/keep"));
            String url = url(c, "keep");
            assertThat(c.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.ALL))
                    .attributesAsStrings()).containsEntry("VisibilityTimeout", "300")
                    .containsEntry("ApproximateNumberOfMessages", "4")
                    .containsEntry("ApproximateNumberOfMessagesDelayed", "1");
            assertThat(c.listQueueTags(r -> r.queueUrl(url)).tags()).containsEntry("team", "a");
            Map<String, Message> back = receiveAll(c, url);
            assertThat(back).hasSize(4);
            Map<String, String> counts = back.values().stream().collect(Collectors.toMap(Message::body,
                    m -> m.attributesAsStrings().get("ApproximateReceiveCount")));
            // the message that was in flight at the restart keeps its first receive
            assertThat(counts.values()).containsExactlyInAnyOrder("1", "1", "1", "2");
            back.values().forEach(m -> assertThat(m.messageAttributes().get("n").stringValue())
                    .isEqualTo(m.body().substring(1)));
            back.values().forEach(m -> c.deleteMessage(r -> r.queueUrl(url).receiptHandle(m.receiptHandle())));
        });
        withEmulator(c -> {
            String url = url(c, "keep");
            assertThat(receiveAll(c, url)).isEmpty();
            assertThat(c.getQueueAttributes(r -> r.queueUrl(url).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributesAsStrings())
                    .containsEntry("ApproximateNumberOfMessagesDelayed", "1");
        });
    }

    @Test
    void compactionKeepsTheStateAndDropsOldFiles() throws Exception {
        try (SqsEmulator e = SqsTestSupport.start(dir); SqsClient c = SqsTestSupport.client(e.endpoint())) {
            String url = c.createQueue(r -> r.queueName("compact")).queueUrl();
            for (int i = 0; i < 30; i++) {
                int n = i;
                c.sendMessage(r -> r.queueUrl(url).messageBody("m" + n));
            }
            List<Message> got = c.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages();
            got.subList(0, 5).forEach(m -> c.deleteMessage(r -> r.queueUrl(url).receiptHandle(m.receiptHandle())));
            e.compact();
            c.sendMessage(r -> r.queueUrl(url).messageBody("after"));
            e.compact();
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("journal-3.log", "snapshot-3.log");
        }
        withEmulator(c -> {
            Map<String, Message> back = receiveAll(c, url(c, "compact"));
            assertThat(back).hasSize(26).containsKey("after");
            assertThat(back.values().stream().filter(m -> m.attributesAsStrings().get("ApproximateReceiveCount")
                    .equals("2")).count()).isEqualTo(5);
        });
    }

    @Test
    void aTornLastLineAfterAKillIsIgnoredAndMovesToTheDeadLetterQueueAreKept() throws Exception {
        withEmulator(c -> {
            String dlq = c.createQueue(r -> r.queueName("dlq")).queueUrl();
            String arn = c.getQueueAttributes(r -> r.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributesAsStrings().get("QueueArn");
            String url = c.createQueue(r -> r.queueName("src").attributes(Map.of(QueueAttributeName.REDRIVE_POLICY,
                    "{\"deadLetterTargetArn\":\"" + arn + "\",\"maxReceiveCount\":1}"))).queueUrl();
            c.sendMessage(r -> r.queueUrl(url).messageBody("poison"));
            c.receiveMessage(r -> r.queueUrl(url).visibilityTimeout(0));
            assertThat(c.receiveMessage(r -> r.queueUrl(url)).messages()).isEmpty(); // moved now
        });
        try (var files = Files.list(dir)) {
            Path journal = files.filter(p -> p.getFileName().toString().startsWith("journal-")).findFirst()
                    .orElseThrow();
            Files.writeString(journal, "{\"op\":\"send\",\"q\":\"src\",\"m\":[{\"id\":\"x", StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND);
        }
        withEmulator(c -> {
            assertThat(receiveAll(c, url(c, "src"))).isEmpty();
            assertThat(receiveAll(c, url(c, "dlq"))).containsOnlyKeys("poison");
        });
    }

    @Test
    void fifoOrderSequenceNumbersAndDeduplicationSurviveARestart() throws Exception {
        String[] sequences = new String[2];
        withEmulator(c -> {
            String url = c.createQueue(r -> r.queueName("order.fifo").attributes(Map.of(
                    QueueAttributeName.FIFO_QUEUE, "true", QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true")))
                    .queueUrl();
            sequences[0] = c.sendMessage(r -> r.queueUrl(url).messageGroupId("G").messageBody("one")).sequenceNumber();
            sequences[1] = c.sendMessage(r -> r.queueUrl(url).messageGroupId("G").messageBody("two")).sequenceNumber();
            assertThat(c.receiveMessage(r -> r.queueUrl(url)).messages()).hasSize(1); // "one" in flight
        });
        withEmulator(c -> {
            String url = url(c, "order.fifo");
            // a resend within five minutes is still a duplicate
            assertThat(c.sendMessage(r -> r.queueUrl(url).messageGroupId("G").messageBody("one")).sequenceNumber())
                    .isEqualTo(sequences[0]);
            String three = c.sendMessage(r -> r.queueUrl(url).messageGroupId("G").messageBody("three"))
                    .sequenceNumber();
            assertThat(three).isGreaterThan(sequences[1]);
            List<Message> got = c.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)
                    .messageSystemAttributeNames(MessageSystemAttributeName.SEQUENCE_NUMBER)).messages();
            assertThat(got).extracting(Message::body).containsExactly("one", "two", "three");
            assertThat(got.get(1).attributesAsStrings()).containsEntry("SequenceNumber", sequences[1]);
        });
    }

    @Test
    void nothingAcknowledgedIsLostWhenTheProcessIsKilled() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process emulator = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                SqsEmulator.class.getName(), String.valueOf(port), dir.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (SqsClient c = SqsTestSupport.client(URI.create("http://127.0.0.1:" + port))) {
            String url = null;
            for (int attempt = 0; url == null; attempt++) {
                try {
                    url = c.createQueue(r -> r.queueName("killed")).queueUrl();
                } catch (SdkClientException notYet) {
                    if (attempt == 100) {
                        throw notYet;
                    }
                    Thread.sleep(100);
                }
            }
            String q = url;
            for (int i = 0; i < 20; i++) {
                int n = i;
                c.sendMessageBatch(r -> r.queueUrl(q).entries(
                        e -> e.id("a").messageBody("a" + n), e -> e.id("b").messageBody("b" + n)));
            }
            List<Message> got = c.receiveMessage(r -> r.queueUrl(q).maxNumberOfMessages(10)).messages();
            got.subList(0, 4).forEach(m -> c.deleteMessage(r -> r.queueUrl(q).receiptHandle(m.receiptHandle())));
        } finally {
            emulator.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, nothing flushed on the way out
        }
        withEmulator(c -> {
            Map<String, Message> back = receiveAll(c, url(c, "killed"));
            assertThat(back).hasSize(36);
            assertThat(back.values().stream().filter(m -> m.attributesAsStrings().get("ApproximateReceiveCount")
                    .equals("2")).count()).isEqualTo(6);
        });
    }
}
