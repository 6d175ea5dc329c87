package io.cqrsworkers.localaws.dynamodb.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.dynamodb.store.Database;
import io.cqrsworkers.localaws.dynamodb.store.Table;
import io.cqrsworkers.localaws.http.AwsJsonServer;

final class ListTagsOfResource implements AwsJsonServer.Operation {

    private final Database db;

    ListTagsOfResource(Database db) {
        this.db = db;
    }

    @Override
    public ObjectNode handle(JsonNode req) {
        Table table = ResourceArns.table(db, Requests.text(req, "ResourceArn"));
        ObjectNode out = Requests.object();
        out.set("Tags", table.settings().path("Tags").isMissingNode() ? Requests.array()
                : table.settings().get("Tags").deepCopy());
        return out;
    }
}
