package io.cqrsworkers.localaws.dynamodb.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.dynamodb.model.DynamoDbException;
import io.cqrsworkers.localaws.dynamodb.store.Database;
import io.cqrsworkers.localaws.dynamodb.streams.SequenceNumbers;
import io.cqrsworkers.localaws.dynamodb.streams.Stream;
import io.cqrsworkers.localaws.http.AwsJsonServer;

import java.util.List;

/** DescribeStream: shards oldest first with their parents and sequence ranges, paginated by shard id. */
final class DescribeStream implements AwsJsonServer.Operation {

    private final Database db;

    DescribeStream(Database db) {
        this.db = db;
    }

    @Override
    public ObjectNode handle(JsonNode req) {
        Stream stream = db.stream(Requests.required(req, "StreamArn", "streamArn"));
        int limit = req.path("Limit").asInt(100);
        String start = Requests.text(req, "ExclusiveStartShardId");
        List<Stream.ShardView> shards = stream.shards(db.clock().millis());
        JsonNode filter = req.get("ShardFilter");
        if (filter != null && !filter.isNull()) {
            // CHILD_SHARDS (the only filter type): the shards opened when the given shard closed
            if (!"CHILD_SHARDS".equals(filter.path("Type").asText())) {
                throw DynamoDbException.validation("1 validation error detected: Value '" + filter.path("Type").asText()
                        + "' at 'shardFilter.type' failed to satisfy constraint: Member must satisfy enum value set: "
                        + "[CHILD_SHARDS]");
            }
            String parent = filter.path("ShardId").asText();
            shards = shards.stream().filter(s -> parent.equals(s.parentId())).toList();
        }
        ObjectNode d = Requests.object();
        d.put("StreamArn", stream.arn());
        d.put("StreamLabel", stream.label());
        d.put("StreamStatus", stream.isEnabled() ? "ENABLED" : "DISABLED");
        d.put("StreamViewType", stream.viewType());
        d.put("CreationRequestDateTime", stream.createdMillis() / 1000.0);
        d.put("TableName", stream.tableName());
        d.set("KeySchema", stream.keySchema());
        ArrayNode list = d.putArray("Shards");
        int from = 0;
        if (start != null) {
            for (int i = 0; i < shards.size(); i++) {
                if (shards.get(i).id().equals(start)) {
                    from = i + 1;
                }
            }
        }
        for (int i = from; i < shards.size() && list.size() < limit; i++) {
            Stream.ShardView s = shards.get(i);
            ObjectNode o = list.addObject();
            o.put("ShardId", s.id());
            if (s.parentId() != null) {
                o.put("ParentShardId", s.parentId());
            }
            ObjectNode range = o.putObject("SequenceNumberRange");
            range.put("StartingSequenceNumber", SequenceNumbers.format(s.start()));
            if (s.end() >= 0) {
                range.put("EndingSequenceNumber", SequenceNumbers.format(s.end()));
            }
            if (list.size() == limit && i + 1 < shards.size()) {
                d.put("LastEvaluatedShardId", s.id());
            }
        }
        ObjectNode out = Requests.object();
        out.set("StreamDescription", d);
        return out;
    }
}
