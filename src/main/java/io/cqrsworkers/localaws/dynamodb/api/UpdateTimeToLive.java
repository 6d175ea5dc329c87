package io.cqrsworkers.localaws.dynamodb.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.dynamodb.model.DynamoDbException;
import io.cqrsworkers.localaws.dynamodb.store.Database;
import io.cqrsworkers.localaws.dynamodb.store.Table;
import io.cqrsworkers.localaws.http.AwsJsonServer;

/** UpdateTimeToLive: names the attribute the TTL reaper reads (epoch seconds). */
final class UpdateTimeToLive implements AwsJsonServer.Operation {

    private final Database db;

    UpdateTimeToLive(Database db) {
        this.db = db;
    }

    @Override
    public ObjectNode handle(JsonNode req) {
        Table table = Requests.table(db, req);
        JsonNode spec = req.path("TimeToLiveSpecification");
        boolean enable = spec.path("Enabled").asBoolean(false);
        String attribute = spec.path("AttributeName").asText(null);
        if (attribute == null || attribute.isEmpty()) {
            throw DynamoDbException.validation("1 validation error detected: Value null at "
                    + "'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must not be null");
        }
        if (enable && table.ttlAttribute() != null) {
            throw DynamoDbException.validation("TimeToLive is already enabled");
        }
        if (!enable && table.ttlAttribute() == null) {
            throw DynamoDbException.validation("TimeToLive is already disabled");
        }
        table.ttlAttribute(enable ? attribute : null);
        db.changeLog().tableChanged(table);
        ObjectNode out = Requests.object();
        out.set("TimeToLiveSpecification", spec.deepCopy());
        return out;
    }
}
