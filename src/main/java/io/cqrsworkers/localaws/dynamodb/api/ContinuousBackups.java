package io.cqrsworkers.localaws.dynamodb.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.dynamodb.store.Database;
import io.cqrsworkers.localaws.dynamodb.store.Table;
import io.cqrsworkers.localaws.http.AwsJsonServer;

/**
 * DescribeContinuousBackups and UpdateContinuousBackups: point-in-time recovery has no local meaning; the flag is
 * remembered and reported so that tools which set it (e.g. the KCL for its lease tables) carry on.
 */
final class ContinuousBackups implements AwsJsonServer.Operation {

    private final Database db;
    private final boolean update;

    ContinuousBackups(Database db, boolean update) {
        this.db = db;
        this.update = update;
    }

    @Override
    public ObjectNode handle(JsonNode req) {
        Table table = Requests.table(db, req);
        if (update) {
            ObjectNode settings = table.settings().deepCopy();
            settings.put("PointInTimeRecovery", req.path("PointInTimeRecoverySpecification")
                    .path("PointInTimeRecoveryEnabled").asBoolean(false));
            table.settings(settings);
            db.changeLog().tableChanged(table);
        }
        ObjectNode out = Requests.object();
        ObjectNode d = out.putObject("ContinuousBackupsDescription");
        d.put("ContinuousBackupsStatus", "ENABLED");
        d.putObject("PointInTimeRecoveryDescription").put("PointInTimeRecoveryStatus",
                table.settings().path("PointInTimeRecovery").asBoolean(false) ? "ENABLED" : "DISABLED");
        return out;
    }
}
