package io.cqrsworkers.stream;

import java.net.URI;

import com.amazonaws.services.dynamodbv2.streamsadapter.serialization.RecordObjectMapper;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Sends a record that kept failing to an SQS queue: the record in the DynamoDB Streams JSON shape plus where it
 * came from and the last error, so it can be inspected and replayed.
 */
final class DeadLetterQueue {

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
