package io.cqrsworkers.localaws.dynamodb.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.dynamodb.store.Database;
import io.cqrsworkers.localaws.dynamodb.store.Table;
import io.cqrsworkers.localaws.http.AwsJsonServer;

import java.util.HashSet;
import java.util.Set;

/** TagResource and UntagResource: tags are kept with the table and have no other effect. */
final class TagResource implements AwsJsonServer.Operation {

    private final Database db;
    private final boolean untag;

    TagResource(Database db, boolean untag) {
        this.db = db;
        this.untag = untag;
    }

    @Override
    public ObjectNode handle(JsonNode req) {
        Table table = ResourceArns.table(db, Requests.text(req, "ResourceArn"));
        ObjectNode settings = table.settings().deepCopy();
        Set<String> drop = new HashSet<>();
        if (untag) {
            req.path("TagKeys").forEach(k -> drop.add(k.asText()));
        } else {
            req.path("Tags").forEach(t -> drop.add(t.path("Key").asText()));
        }
        ArrayNode tags = Requests.array();
        settings.path("Tags").forEach(t -> {
            if (!drop.contains(t.path("Key").asText())) {
                tags.add(t);
            }
        });
        if (!untag) {
            req.path("Tags").forEach(t -> tags.add(t.deepCopy()));
        }
        settings.set("Tags", tags);
        table.settings(settings);
        db.changeLog().tableChanged(table);
        return Requests.object();
    }
}
