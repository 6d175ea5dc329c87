package io.cqrsworkers.localaws.dynamodb.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.dynamodb.store.Database;
import io.cqrsworkers.localaws.dynamodb.streams.Stream;
import io.cqrsworkers.localaws.http.AwsJsonServer;

import java.util.Comparator;
import java.util.List;

/** ListStreams: all streams, or a table's, oldest first, paginated by stream ARN. */
final class ListStreams implements AwsJsonServer.Operation {

    private final Database db;

    ListStreams(Database db) {
        this.db = db;
    }

    @Override
    public ObjectNode handle(JsonNode req) {
        db.dropExpiredStreams();
        String table = Requests.text(req, "TableName");
        int limit = req.path("Limit").asInt(100);
        String start = Requests.text(req, "ExclusiveStartStreamArn");
        List<Stream> streams = db.streams().stream()
                .filter(s -> table == null || s.tableName().equals(table))
                .sorted(Comparator.comparingLong(Stream::createdMillis).thenComparing(Stream::arn))
                .toList();
        int from = 0;
        if (start != null) {
            for (int i = 0; i < streams.size(); i++) {
                if (streams.get(i).arn().equals(start)) {
                    from = i + 1;
                }
            }
        }
        ObjectNode out = Requests.object();
        ArrayNode list = out.putArray("Streams");
        for (int i = from; i < streams.size() && list.size() < limit; i++) {
            Stream s = streams.get(i);
            list.addObject().put("StreamArn", s.arn()).put("TableName", s.tableName()).put("StreamLabel", s.label());
            if (list.size() == limit && i + 1 < streams.size()) {
                out.put("LastEvaluatedStreamArn", s.arn());
            }
        }
        return out;
    }
}
