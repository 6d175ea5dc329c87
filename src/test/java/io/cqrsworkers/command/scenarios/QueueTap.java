package io.cqrsworkers.command.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.json.Jackson;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/**
 * Reads a queue whose consumer routes are stopped, keeping every message it took (JSON bodies), so a scenario can
 * look at what it caused among what the others caused.
 */
final class QueueTap {

    private final SqsClient sqs;
    private final String url;
    private final List<JsonNode> seen = new CopyOnWriteArrayList<>();
    private final Map<JsonNode, Long> sentAt = Collections.synchronizedMap(new IdentityHashMap<>());

    QueueTap(SqsClient sqs, String url) {
        this.sqs = sqs;
        this.url = url;
    }

    /**
     * The messages matching {@code which}, once at least {@code atLeast} of them arrived and everything sent before
     * this call has been read: a marker is sent and the queue read until the marker came and nothing is left. So a
     * message that is not here was never sent (before the call), which is how a scenario shows that something did
     * not happen.
     */
    List<JsonNode> settle(Predicate<JsonNode> which, int atLeast) {
        await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).until(() -> {
            receive();
            return seen.stream().filter(which).count() >= atLeast;
        });
        String marker = UUID.randomUUID().toString();
        sqs.sendMessage(b -> b.queueUrl(url).messageBody(Jackson.MAPPER.createObjectNode().put("marker", marker)
                .toString()));
        await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).until(() -> {
            receive();
            return seen.stream().anyMatch(m -> marker.equals(m.path("marker").asText())) && visible() == 0;
        });
        return seen.stream().filter(which).toList();
    }

    /** When the queue took a message (its SentTimestamp, epoch milliseconds). */
    long sentAt(JsonNode message) {
        return sentAt.get(message);
    }

    private void receive() {
        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)
                .messageSystemAttributeNames(MessageSystemAttributeName.SENT_TIMESTAMP)).messages();
        for (Message m : messages) {
            JsonNode body;
            try {
                body = Jackson.MAPPER.readTree(m.body());
            } catch (Exception notJson) {
                body = Jackson.MAPPER.getNodeFactory().textNode(m.body());
            }
            sentAt.put(body, Long.parseLong(m.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP)));
            seen.add(body);
            sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
        }
    }

    private int visible() {
        return Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(url)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }
}
