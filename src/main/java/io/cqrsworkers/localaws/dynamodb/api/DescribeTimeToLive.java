package io.cqrsworkers.localaws.dynamodb.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.dynamodb.store.Database;
import io.cqrsworkers.localaws.dynamodb.store.Table;
import io.cqrsworkers.localaws.http.AwsJsonServer;

final class DescribeTimeToLive implements AwsJsonServer.Operation {

    private final Database db;

    DescribeTimeToLive(Database db) {
        this.db = db;
    }

    @Override
    public ObjectNode handle(JsonNode req) {
        Table table = Requests.table(db, req);
        ObjectNode out = Requests.object();
        ObjectNode d = out.putObject("TimeToLiveDescription");
        String attribute = table.ttlAttribute();
        d.put("TimeToLiveStatus", attribute == null ? "DISABLED" : "ENABLED");
        if (attribute != null) {
            d.put("AttributeName", attribute);
        }
        return out;
    }
}
