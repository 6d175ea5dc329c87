package io.cqrsworkers.localaws.sqs;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The basic cycle, system attributes, delays, visibility timeouts, purge and receipt-handle rules. */
class SendReceiveDeleteTest extends SqsTestSupport {

    @Test
    void sendReceiveDelete() {
        String url = createQueue("cycle");
        String id = sqs.sendMessage(r -> r.queueUrl(url).messageBody("héllo wörld")).messageId();
        List<Message> got = sqs.receiveMessage(r -> r.queueUrl(url)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
        assertThat(got).hasSize(1);
        Message m = got.get(0);
        assertThat(m.messageId()).isEqualTo(id);
        assertThat(m.body()).isEqualTo("héllo wörld");
        assertThat(m.attributesAsStrings()).containsEntry("ApproximateReceiveCount", "1")
                .containsKeys("SentTimestamp", "ApproximateFirstReceiveTimestamp", "SenderId");
        assertThat(sqs.receiveMessage(r -> r.queueUrl(url)).messages()).isEmpty();
        sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(m.receiptHandle()));
        assertThat(count(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).isZero();
        // deleting again is fine, as in SQS
        sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(m.receiptHandle()));
    }

    @Test
    void receivesUpToTenOfManyAndEachOnlyOnce() {
        String url = createQueue("many");
        for (int i = 0; i < 25; i++) {
            int n = i;
            sqs.sendMessage(r -> r.queueUrl(url).messageBody("m" + n));
        }
        Set<String> bodies = new HashSet<>();
        List<Message> first = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages();
        assertThat(first).hasSize(10);
        first.forEach(m -> bodies.add(m.body()));
        for (int i = 0; i < 3; i++) {
            sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages()
                    .forEach(m -> assertThat(bodies.add(m.body())).isTrue());
        }
        assertThat(bodies).hasSize(25);
    }

    @Test
    void visibilityTimeoutReturnsTheMessageWithAHigherReceiveCount() {
        String url = createQueue("vis");
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("again"));
        Message first = sqs.receiveMessage(r -> r.queueUrl(url).visibilityTimeout(1)).messages().get(0);
        assertThat(sqs.receiveMessage(r -> r.queueUrl(url)).messages()).isEmpty();
        CLOCK.jump(Duration.ofMillis(1100));
        Message second = sqs.receiveMessage(r -> r.queueUrl(url).messageSystemAttributeNames(
                MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages().get(0);
        assertThat(second.messageId()).isEqualTo(first.messageId());
        assertThat(second.receiptHandle()).isNotEqualTo(first.receiptHandle());
        assertThat(second.attributesAsStrings()).containsEntry("ApproximateReceiveCount", "2");

        // the older handle no longer deletes (the request succeeds, the message stays)
        sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(first.receiptHandle()));
        assertThat(count(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).isEqualTo(1);
        sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(second.receiptHandle()));
        assertThat(count(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).isZero();
    }

    @Test
    void changeMessageVisibilityToZeroReleasesAtOnce() {
        String url = createQueue("release");
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("x"));
        Message m = sqs.receiveMessage(r -> r.queueUrl(url)).messages().get(0);
        sqs.changeMessageVisibility(r -> r.queueUrl(url).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
        assertThat(sqs.receiveMessage(r -> r.queueUrl(url)).messages()).hasSize(1);
    }

    @Test
    void changeMessageVisibilityExtends() {
        String url = createQueue("extend");
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("x"));
        Message m = sqs.receiveMessage(r -> r.queueUrl(url).visibilityTimeout(1)).messages().get(0);
        sqs.changeMessageVisibility(r -> r.queueUrl(url).receiptHandle(m.receiptHandle()).visibilityTimeout(30));
        CLOCK.jump(Duration.ofMillis(1200));
        assertThat(sqs.receiveMessage(r -> r.queueUrl(url)).messages()).isEmpty();
        CLOCK.jump(Duration.ofSeconds(30));
        assertThat(sqs.receiveMessage(r -> r.queueUrl(url)).messages()).hasSize(1);
    }

    @Test
    void delayPerQueueAndPerMessage() {
        String url = sqs.createQueue(r -> r.queueName(name("delay"))
                .attributes(Map.of(QueueAttributeName.DELAY_SECONDS, "1"))).queueUrl();
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("queue delay"));
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("no delay").delaySeconds(0));
        List<Message> now = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages();
        assertThat(now).extracting(Message::body).containsExactly("no delay");
        assertThat(count(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).isEqualTo(1);
        CLOCK.jump(Duration.ofMillis(1100));
        assertThat(sqs.receiveMessage(r -> r.queueUrl(url)).messages()).extracting(Message::body)
                .containsExactly("queue delay");
    }

    @Test
    void purgeRemovesEverything() {
        String url = createQueue("purge");
        for (int i = 0; i < 3; i++) {
            sqs.sendMessage(r -> r.queueUrl(url).messageBody("x"));
        }
        sqs.receiveMessage(r -> r.queueUrl(url));
        sqs.purgeQueue(r -> r.queueUrl(url));
        assertThat(count(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).isZero();
        assertThat(count(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).isZero();
        assertThat(sqs.receiveMessage(r -> r.queueUrl(url)).messages()).isEmpty();
    }

    static int count(String url, QueueAttributeName name) {
        return Integer.parseInt(sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(name)).attributes()
                .get(name));
    }
}
