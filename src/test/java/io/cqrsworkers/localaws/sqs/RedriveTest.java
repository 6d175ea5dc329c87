package io.cqrsworkers.localaws.sqs;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** maxReceiveCount: the receive that would exceed it moves the message to the dead-letter queue instead. */
class RedriveTest extends SqsTestSupport {

    @Test
    void messageMovesToTheDeadLetterQueueAfterMaxReceiveCount() {
        String dlqUrl = createQueue("dead");
        String dlqArn = arn(dlqUrl);
        String url = sqs.createQueue(r -> r.queueName(name("work")).attributes(Map.of(
                QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":2}"))).queueUrl();
        String id = sqs.sendMessage(r -> r.queueUrl(url).messageBody("poison")).messageId();

        for (int i = 1; i <= 2; i++) {
            List<Message> got = sqs.receiveMessage(r -> r.queueUrl(url).visibilityTimeout(0)
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
            assertThat(got).singleElement().satisfies(m -> assertThat(m.messageId()).isEqualTo(id));
            assertThat(got.get(0).attributesAsStrings()).containsEntry("ApproximateReceiveCount", String.valueOf(i));
        }
        assertThat(sqs.receiveMessage(r -> r.queueUrl(url).visibilityTimeout(0)).messages()).isEmpty();

        List<Message> dead = sqs.receiveMessage(r -> r.queueUrl(dlqUrl)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
        assertThat(dead).singleElement().satisfies(m -> {
            assertThat(m.messageId()).isEqualTo(id);
            assertThat(m.body()).isEqualTo("poison");
            assertThat(m.attributesAsStrings()).containsEntry("DeadLetterQueueSourceArn", arn(url));
        });
        assertThat(SendReceiveDeleteTest.count(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).isZero();
    }

    @Test
    void aLongPollOnTheDeadLetterQueueIsWokenByTheMove() throws Exception {
        String dlqUrl = createQueue("dead-wait");
        String url = sqs.createQueue(r -> r.queueName(name("work-wait")).attributes(Map.of(
                QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + arn(dlqUrl) + "\",\"maxReceiveCount\":1}"))).queueUrl();
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("once"));
        assertThat(sqs.receiveMessage(r -> r.queueUrl(url).visibilityTimeout(0)).messages()).hasSize(1);
        var waiting = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                sqs.receiveMessage(r -> r.queueUrl(dlqUrl).waitTimeSeconds(10)).messages());
        LongPollingTest.awaitWaiting(dlqUrl, 1);
        long t0 = System.nanoTime();
        assertThat(sqs.receiveMessage(r -> r.queueUrl(url)).messages()).isEmpty();
        assertThat(waiting.get()).extracting(Message::body).containsExactly("once");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
    }

    static String arn(String url) {
        return sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }
}
