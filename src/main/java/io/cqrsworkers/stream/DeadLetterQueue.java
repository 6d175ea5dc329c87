package io.cqrsworkers.stream;

import com.amazonaws.services.dynamodbv2.streamsadapter.serialization.RecordObjectMapper;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends a record that kept failing to an SQS queue: the record in the DynamoDB Streams JSON shape plus where it
 * came from and the last error, so it can be inspected and replayed. Part of the ddb-stream component, which calls
 * the SDK itself (a component's own producer side). Records are (de)serialized by the streams adapter's mapper,
 * which knows the DynamoDB Streams record shape, not by the service's shared one.
 */
final class DeadLetterQueue {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterQueue.class);
    private static final ObjectMapper RECORD_JSON = new RecordObjectMapper();

    private final SqsClient sqs;
    private final String queueUrl;

    private DeadLetterQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    /** A queue URL brings its own endpoint; a queue name is resolved with GetQueueUrl. */
    static DeadLetterQueue open(String urlOrName, DdbStreamConfiguration config, StreamClients clients) {
        if (urlOrName.startsWith("http://") || urlOrName.startsWith("https://")) {
            URI url = URI.create(urlOrName);
            URI origin = URI.create(url.getScheme() + "://" + url.getAuthority());
            return new DeadLetterQueue(clients.sqs(origin), urlOrName);
        }
        URI endpoint = config.getSqsUriEndpointOverride() != null ? URI.create(config.getSqsUriEndpointOverride()) : null;
        SqsClient sqs = clients.sqs(endpoint);
        return new DeadLetterQueue(sqs, sqs.getQueueUrl(b -> b.queueName(urlOrName)).queueUrl());
    }

    String queueUrl() {
        return queueUrl;
    }

    /** A dead-lettered record, read back for a replay. */
    record Letter(String table, String shardId, Record record, String receiptHandle) {
    }

    /**
     * Takes up to {@code max} (at most 10) letters out of sight for {@code visibilitySeconds}; a body that is not a
     * letter of this endpoint's shape is left alone (it comes back after the visibility timeout).
     */
    List<Letter> receive(int max, int visibilitySeconds) {
        List<Letter> out = new ArrayList<>();
        for (Message m : sqs.receiveMessage(b -> b.queueUrl(queueUrl)
                .maxNumberOfMessages(Math.min(10, max)).visibilityTimeout(visibilitySeconds)).messages()) {
            try {
                JsonNode body = RECORD_JSON.readTree(m.body());
                Record record = withoutInventedImages(RECORD_JSON.treeToValue(body.get("record"), Record.class),
                        body.path("record").path("dynamodb"));
                out.add(new Letter(body.path("table").asText(), body.path("shardId").asText(), record,
                        m.receiptHandle()));
            } catch (Exception e) {
                LOG.warn("Message {} of {} is not a dead-lettered stream record; left there", m.messageId(),
                        queueUrl, e);
            }
        }
        return out;
    }

    /** Visible and in-flight letters now. */
    int approximateSize() {
        var a = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributesAsStrings();
        return Integer.parseInt(a.getOrDefault("ApproximateNumberOfMessages", "0"))
                + Integer.parseInt(a.getOrDefault("ApproximateNumberOfMessagesNotVisible", "0"));
    }

    /**
     * The adapter's mapper writes an absent image as {} and reads it back as an empty map, where the record delivered
     * first had none (an image always holds the keys, so an empty one means absent).
     */
    private static Record withoutInventedImages(Record record, JsonNode stored) {
        var streamRecord = record.dynamodb().toBuilder();
        if (stored.path(RecordObjectMapper.OLD_IMAGE).isEmpty()) {
            streamRecord.oldImage(null);
        }
        if (stored.path(RecordObjectMapper.NEW_IMAGE).isEmpty()) {
            streamRecord.newImage(null);
        }
        return record.toBuilder().dynamodb(streamRecord.build()).build();
    }

    void delete(String receiptHandle) {
        sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(receiptHandle));
    }

    /** Makes a letter visible again at once (another table's, left for its own consumer's replay). */
    void release(String receiptHandle) {
        sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(receiptHandle).visibilityTimeout(0));
    }

    void send(String table, String shardId, Record record, int attempts, Throwable error) {
        ObjectNode body = RECORD_JSON.createObjectNode();
        body.put("table", table);
        body.put("shardId", shardId);
        body.put("sequenceNumber", record.dynamodb().sequenceNumber());
        body.put("eventName", record.eventNameAsString());
        body.put("attempts", attempts);
        ObjectNode err = body.putObject("error");
        err.put("type", error.getClass().getName());
        err.put("message", String.valueOf(error.getMessage()));
        body.set("record", RECORD_JSON.valueToTree(record));
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body.toString()));
    }
}
