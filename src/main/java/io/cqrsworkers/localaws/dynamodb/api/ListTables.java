package io.cqrsworkers.localaws.dynamodb.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.dynamodb.model.DynamoDbException;
import io.cqrsworkers.localaws.dynamodb.store.Database;
import io.cqrsworkers.localaws.http.AwsJsonServer;

import java.util.NavigableSet;

/** ListTables: names in order, at most Limit (default and maximum 100) per page. */
final class ListTables implements AwsJsonServer.Operation {

    private final Database db;

    ListTables(Database db) {
        this.db = db;
    }

    @Override
    public ObjectNode handle(JsonNode req) {
        int limit = req.path("Limit").asInt(100);
        if (limit < 1 || limit > 100) {
            throw DynamoDbException.validation("1 validation error detected: Value '" + limit + "' at 'limit' failed "
                    + "to satisfy constraint: Member must have value less than or equal to 100");
        }
        String start = Requests.text(req, "ExclusiveStartTableName");
        NavigableSet<String> names = db.tableNames();
        if (start != null) {
            names = names.tailSet(start, false);
        }
        ObjectNode out = Requests.object();
        ArrayNode list = out.putArray("TableNames");
        String last = null;
        for (String n : names) {
            if (list.size() == limit) {
                out.put("LastEvaluatedTableName", last);
                break;
            }
            list.add(n);
            last = n;
        }
        return out;
    }
}
