package io.cqrsworkers.localaws.sqs;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** FIFO queues: order within a message group, one receiver per group at a time, deduplication, sequence numbers. */
class FifoTest extends SqsTestSupport {

    private static String fifoQueue(boolean contentBased) {
        return sqs.createQueue(r -> r.queueName(name("f") + ".fifo").attributes(Map.of(
                QueueAttributeName.FIFO_QUEUE, "true",
                QueueAttributeName.CONTENT_BASED_DEDUPLICATION, String.valueOf(contentBased)))).queueUrl();
    }

    private static SendMessageResponse send(String url, String group, String body) {
        return sqs.sendMessage(r -> r.queueUrl(url).messageGroupId(group).messageBody(body));
    }

    private static List<String> receive(String url, int max, int visibility) {
        return sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(max).visibilityTimeout(visibility))
                .messages().stream().map(Message::body).toList();
    }

    @Test
    void aGroupWithAMessageInFlightWaitsWhileOtherGroupsGoOn() {
        String url = fifoQueue(true);
        send(url, "A", "a1");
        send(url, "A", "a2");
        send(url, "B", "b1");
        List<Message> first = sqs.receiveMessage(r -> r.queueUrl(url)).messages();
        assertThat(first).extracting(Message::body).containsExactly("a1");
        assertThat(receive(url, 10, 30)).containsExactly("b1");
        assertThat(receive(url, 10, 30)).isEmpty();
        sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(first.get(0).receiptHandle()));
        assertThat(receive(url, 10, 30)).containsExactly("a2");
    }

    @Test
    void oneReceiveMayTakeSeveralMessagesOfAGroupInOrder() {
        String url = fifoQueue(true);
        for (int i = 1; i <= 4; i++) {
            send(url, "G", "m" + i);
        }
        assertThat(receive(url, 2, 1)).containsExactly("m1", "m2");
        CLOCK.jump(Duration.ofMillis(1100));
        // back from the visibility timeout, m1 and m2 come first again
        assertThat(receive(url, 10, 30)).containsExactly("m1", "m2", "m3", "m4");
    }

    @Test
    void deduplicationWithinFiveMinutesAndSequenceNumbers() {
        String url = fifoQueue(true);
        SendMessageResponse first = send(url, "G", "same");
        SendMessageResponse again = send(url, "G", "same");
        assertThat(again.messageId()).isEqualTo(first.messageId());
        assertThat(again.sequenceNumber()).isEqualTo(first.sequenceNumber());
        SendMessageResponse other = send(url, "G", "other");
        assertThat(first.sequenceNumber()).hasSize(20);
        assertThat(other.sequenceNumber()).isGreaterThan(first.sequenceNumber());

        String explicit = fifoQueue(false);
        SendMessageBatchResponse batch = sqs.sendMessageBatch(r -> r.queueUrl(explicit).entries(
                e -> e.id("1").messageGroupId("G").messageDeduplicationId("d1").messageBody("x"),
                e -> e.id("2").messageGroupId("G").messageDeduplicationId("d1").messageBody("y"),
                e -> e.id("3").messageGroupId("G").messageDeduplicationId("d2").messageBody("z")));
        assertThat(batch.successful()).hasSize(3);
        assertThat(batch.successful().get(1).messageId()).isEqualTo(batch.successful().get(0).messageId());
        List<Message> got = sqs.receiveMessage(r -> r.queueUrl(explicit).maxNumberOfMessages(10)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
        assertThat(got).extracting(Message::body).containsExactly("x", "z");
        assertThat(got.get(0).attributesAsStrings()).containsEntry("MessageGroupId", "G")
                .containsEntry("MessageDeduplicationId", "d1")
                .containsEntry("SequenceNumber", batch.successful().get(0).sequenceNumber());
    }

    @Test
    void fifoRules() {
        String url = fifoQueue(false);
        assertThatThrownBy(() -> sqs.sendMessage(r -> r.queueUrl(url).messageBody("x").messageDeduplicationId("d")))
                .isInstanceOfSatisfying(SqsException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .isEqualTo("The request must contain the parameter MessageGroupId."));
        assertThatThrownBy(() -> send(url, "G", "x")).isInstanceOfSatisfying(SqsException.class, e -> assertThat(
                e.awsErrorDetails().errorMessage()).isEqualTo("The queue should either have ContentBasedDeduplication "
                + "enabled or MessageDeduplicationId provided explicitly"));
        assertThatThrownBy(() -> sqs.sendMessage(r -> r.queueUrl(url).messageBody("x").messageGroupId("G")
                .messageDeduplicationId("d").delaySeconds(5)))
                .isInstanceOfSatisfying(SqsException.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("InvalidParameterValue"));
        String standard = createQueue("std");
        assertThatThrownBy(() -> sqs.sendMessage(r -> r.queueUrl(standard).messageBody("x")
                .messageDeduplicationId("d"))).isInstanceOf(SqsException.class)
                .hasMessageContaining("not valid for this queue type");
        assertThatThrownBy(() -> sqs.createQueue(r -> r.queueName(name("nofifo")).attributes(Map.of(
                QueueAttributeName.FIFO_QUEUE, "true")))).isInstanceOf(SqsException.class)
                .hasMessageContaining("must end with .fifo suffix");
        assertThat(sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.ALL))
                .attributesAsStrings()).containsEntry("FifoQueue", "true")
                .containsEntry("ContentBasedDeduplication", "false");
    }
}
