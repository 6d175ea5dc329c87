package io.cqrsworkers.localaws.dynamodb.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.dynamodb.store.Database;
import io.cqrsworkers.localaws.dynamodb.streams.SequenceNumbers;
import io.cqrsworkers.localaws.dynamodb.streams.ShardIterators;
import io.cqrsworkers.localaws.dynamodb.streams.Stream;
import io.cqrsworkers.localaws.http.AwsJsonServer;

/** GetShardIterator: TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER. */
final class GetShardIterator implements AwsJsonServer.Operation {

    private final Database db;

    GetShardIterator(Database db) {
        this.db = db;
    }

    @Override
    public ObjectNode handle(JsonNode req) {
        Stream stream = db.stream(Requests.required(req, "StreamArn", "streamArn"));
        String shardId = Requests.required(req, "ShardId", "shardId");
        String type = Requests.required(req, "ShardIteratorType", "shardIteratorType");
        String seq = Requests.text(req, "SequenceNumber");
        long now = db.clock().millis();
        long position = stream.position(shardId, type, seq == null ? null : SequenceNumbers.parse(seq), now);
        ObjectNode out = Requests.object();
        out.put("ShardIterator", ShardIterators.encode(
                new ShardIterators.Position(stream.arn(), shardId, position, now)));
        return out;
    }
}
