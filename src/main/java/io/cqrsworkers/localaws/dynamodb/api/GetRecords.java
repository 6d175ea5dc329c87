package io.cqrsworkers.localaws.dynamodb.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.dynamodb.model.DynamoDbException;
import io.cqrsworkers.localaws.dynamodb.model.AvJson;
import io.cqrsworkers.localaws.dynamodb.store.Database;
import io.cqrsworkers.localaws.dynamodb.streams.SequenceNumbers;
import io.cqrsworkers.localaws.dynamodb.streams.ShardIterators;
import io.cqrsworkers.localaws.dynamodb.streams.Stream;
import io.cqrsworkers.localaws.dynamodb.streams.StreamRecord;
import io.cqrsworkers.localaws.http.AwsJsonServer;

/** GetRecords: up to Limit (1000) records or 1 MB; no NextShardIterator once a closed shard is drained. */
final class GetRecords implements AwsJsonServer.Operation {

    private static final int MAX_BYTES = 1024 * 1024;

    private final Database db;

    GetRecords(Database db) {
        this.db = db;
    }

    @Override
    public ObjectNode handle(JsonNode req) {
        int limit = req.path("Limit").asInt(1000);
        if (limit < 1 || limit > 1000) {
            throw DynamoDbException.validation("1 validation error detected: Value '" + limit + "' at 'limit' failed "
                    + "to satisfy constraint: Member must have value less than or equal to 1000");
        }
        long now = db.clock().millis();
        ShardIterators.Position pos = ShardIterators.decode(
                Requests.required(req, "ShardIterator", "shardIterator"), now);
        Stream stream = db.stream(pos.streamArn());
        Stream.Batch batch = stream.read(pos.shardId(), pos.position(), limit, MAX_BYTES, now);
        ObjectNode out = Requests.object();
        ArrayNode records = out.putArray("Records");
        for (StreamRecord r : batch.records()) {
            records.add(render(r, stream));
        }
        batch.next().ifPresent(next -> out.put("NextShardIterator", ShardIterators.encode(
                new ShardIterators.Position(stream.arn(), pos.shardId(), next, now))));
        return out;
    }

    private ObjectNode render(StreamRecord r, Stream stream) {
        ObjectNode o = Requests.object();
        o.put("eventID", r.eventId());
        o.put("eventName", r.eventName());
        o.put("eventVersion", "1.1");
        o.put("eventSource", "aws:dynamodb");
        o.put("awsRegion", db.region());
        ObjectNode d = o.putObject("dynamodb");
        d.put("ApproximateCreationDateTime", r.createdMillis() / 1000);
        d.set("Keys", AvJson.writeItem(r.keys()));
        if (r.newImage() != null) {
            d.set("NewImage", AvJson.writeItem(r.newImage()));
        }
        if (r.oldImage() != null) {
            d.set("OldImage", AvJson.writeItem(r.oldImage()));
        }
        d.put("SequenceNumber", SequenceNumbers.format(r.sequence()));
        d.put("SizeBytes", r.sizeBytes());
        d.put("StreamViewType", stream.viewType());
        if (r.byTtl()) {
            // the Streams API spells these with capitals; Lambda events show them as "type" and "principalId"
            o.putObject("userIdentity").put("Type", "Service").put("PrincipalId", "dynamodb.amazonaws.com");
        }
        return o;
    }
}
