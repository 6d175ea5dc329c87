package io.cqrsworkers.localaws.sqs;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.ListQueuesResponse;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.QueueNameExistsException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** CreateQueue, GetQueueUrl, ListQueues, DeleteQueue, queue attributes and tags. */
class QueueApiTest extends SqsTestSupport {

    @Test
    void createQueueIsIdempotentForTheSameAttributesAndRefusesOthers() {
        String name = name("idem");
        Map<QueueAttributeName, String> attrs = Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "45");
        String url = sqs.createQueue(r -> r.queueName(name).attributes(attrs)).queueUrl();
        assertThat(url).isEqualTo(emulator.endpoint() + "/000000000000/" + name);
        assertThat(sqs.createQueue(r -> r.queueName(name).attributes(attrs)).queueUrl()).isEqualTo(url);
        assertThat(sqs.getQueueUrl(r -> r.queueName(name)).queueUrl()).isEqualTo(url);
        // attributes not asked for are not compared
        assertThat(sqs.createQueue(r -> r.queueName(name)).queueUrl()).isEqualTo(url);

        assertThatThrownBy(() -> sqs.createQueue(r -> r.queueName(name)
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "46"))))
                .isInstanceOfSatisfying(QueueNameExistsException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("QueueAlreadyExists");
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorMessage()).contains("VisibilityTimeout");
                });
    }

    @Test
    void deletedQueueIsGone() {
        String name = name("gone");
        String url = sqs.createQueue(r -> r.queueName(name)).queueUrl();
        sqs.deleteQueue(r -> r.queueUrl(url));
        assertThatThrownBy(() -> sqs.getQueueUrl(r -> r.queueName(name)))
                .isInstanceOf(QueueDoesNotExistException.class);
        assertThatThrownBy(() -> sqs.sendMessage(r -> r.queueUrl(url).messageBody("x")))
                .isInstanceOf(QueueDoesNotExistException.class);
    }

    @Test
    void listQueuesByPrefixWithAndWithoutPaging() {
        String prefix = name("list");
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            created.add(sqs.createQueue(r -> r.queueName(prefix + "-" + n)).queueUrl());
        }
        ListQueuesResponse all = sqs.listQueues(r -> r.queueNamePrefix(prefix));
        assertThat(all.queueUrls()).containsExactlyElementsOf(created);
        assertThat(all.nextToken()).isNull();

        List<String> paged = new ArrayList<>();
        sqs.listQueuesPaginator(r -> r.queueNamePrefix(prefix).maxResults(2)).forEach(p -> {
            assertThat(p.queueUrls()).hasSizeLessThanOrEqualTo(2);
            paged.addAll(p.queueUrls());
        });
        assertThat(paged).containsExactlyElementsOf(created);
    }

    @Test
    void attributesAllAndByName() {
        String name = name("attrs");
        String url = sqs.createQueue(r -> r.queueName(name).attributes(Map.of(
                QueueAttributeName.DELAY_SECONDS, "2", QueueAttributeName.MESSAGE_RETENTION_PERIOD, "600"))).queueUrl();
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("delayed"));
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("now").delaySeconds(0));

        Map<String, String> all = sqs.getQueueAttributes(r -> r.queueUrl(url)
                .attributeNames(QueueAttributeName.ALL)).attributesAsStrings();
        assertThat(all).containsEntry("QueueArn", "arn:aws:sqs:us-east-1:000000000000:" + name)
                .containsEntry("VisibilityTimeout", "30").containsEntry("DelaySeconds", "2")
                .containsEntry("MessageRetentionPeriod", "600").containsEntry("MaximumMessageSize", "262144")
                .containsEntry("ReceiveMessageWaitTimeSeconds", "0")
                .containsEntry("ApproximateNumberOfMessages", "1")
                .containsEntry("ApproximateNumberOfMessagesDelayed", "1")
                .containsEntry("ApproximateNumberOfMessagesNotVisible", "0")
                .containsKeys("CreatedTimestamp", "LastModifiedTimestamp")
                .doesNotContainKey("RedrivePolicy");
        assertThat(Long.parseLong(all.get("CreatedTimestamp")))
                .isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(5L));

        sqs.receiveMessage(r -> r.queueUrl(url));
        GetQueueAttributesResponse some = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, QueueAttributeName.VISIBILITY_TIMEOUT));
        assertThat(some.attributesAsStrings()).containsOnly(
                Map.entry("ApproximateNumberOfMessagesNotVisible", "1"), Map.entry("VisibilityTimeout", "30"));

        sqs.setQueueAttributes(r -> r.queueUrl(url).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "5",
                QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS, "1")));
        assertThat(sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.ALL))
                .attributesAsStrings()).containsEntry("VisibilityTimeout", "5")
                .containsEntry("ReceiveMessageWaitTimeSeconds", "1");
    }

    @Test
    void redrivePolicyAndDeadLetterSources() {
        String dlqUrl = createQueue("dlq");
        String dlqArn = sqs.getQueueAttributes(r -> r.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        // the project writes maxReceiveCount as a string; SQS answers it as a number
        String redrive = "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"3\"}";
        String name = name("src");
        String url = sqs.createQueue(r -> r.queueName(name)
                .attributes(Map.of(QueueAttributeName.REDRIVE_POLICY, redrive))).queueUrl();
        assertThat(sqs.createQueue(r -> r.queueName(name)
                .attributes(Map.of(QueueAttributeName.REDRIVE_POLICY, redrive))).queueUrl()).isEqualTo(url);
        assertThat(sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.REDRIVE_POLICY))
                .attributesAsStrings().get("RedrivePolicy"))
                .isEqualTo("{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":3}");
        assertThat(sqs.listDeadLetterSourceQueues(r -> r.queueUrl(dlqUrl)).queueUrls()).containsExactly(url);
    }

    @Test
    void tags() {
        String url = sqs.createQueue(r -> r.queueName(name("tags")).tags(Map.of("team", "a"))).queueUrl();
        sqs.tagQueue(r -> r.queueUrl(url).tags(Map.of("env", "test", "cost", "1")));
        sqs.untagQueue(r -> r.queueUrl(url).tagKeys("cost"));
        assertThat(sqs.listQueueTags(r -> r.queueUrl(url)).tags()).containsOnly(
                Map.entry("team", "a"), Map.entry("env", "test"));
    }

    @Test
    void queueUrlFromAnotherHostFormStillFindsTheQueue() {
        String name = name("host");
        sqs.createQueue(r -> r.queueName(name));
        String other = "http://localhost:" + emulator.endpoint().getPort() + "/000000000000/" + name;
        sqs.sendMessage(r -> r.queueUrl(other).messageBody("via localhost"));
        assertThat(sqs.receiveMessage(r -> r.queueUrl(other)).messages()).hasSize(1);
    }
}
