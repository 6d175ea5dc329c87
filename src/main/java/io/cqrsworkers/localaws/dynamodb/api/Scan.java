package io.cqrsworkers.localaws.dynamodb.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.dynamodb.model.DynamoDbException;
import io.cqrsworkers.localaws.dynamodb.model.Item;
import io.cqrsworkers.localaws.dynamodb.store.Database;
import io.cqrsworkers.localaws.dynamodb.store.RowKey;
import io.cqrsworkers.localaws.http.AwsJsonServer;

import java.util.Collections;
import java.util.NavigableMap;

/** Scan: the whole table or index in hash order; a parallel-scan segment is a contiguous slice of the hash space. */
final class Scan implements AwsJsonServer.Operation {

    private final Database db;

    Scan(Database db) {
        this.db = db;
    }

    @Override
    public ObjectNode handle(JsonNode req) {
        ReadPlan plan = new ReadPlan(db, req, "FilterExpression", "ScanFilter");
        plan.checkUsed(req.hasNonNull("FilterExpression") || req.hasNonNull("ProjectionExpression"));
        RowKey from = null;
        RowKey to = null;
        JsonNode segment = req.get("Segment");
        JsonNode total = req.get("TotalSegments");
        if (segment != null && !segment.isNull() || total != null && !total.isNull()) {
            if (segment == null || segment.isNull()) {
                throw DynamoDbException.validation("The Segment parameter is required but was not present in the "
                        + "request when parameter TotalSegments is present");
            }
            if (total == null || total.isNull()) {
                throw DynamoDbException.validation("The TotalSegments parameter is required but was not present in "
                        + "the request when Segment parameter is present");
            }
            int seg = segment.asInt();
            int tot = total.asInt();
            if (tot < 1 || tot > 1_000_000) {
                throw DynamoDbException.validation("1 validation error detected: Value '" + tot + "' at "
                        + "'totalSegments' failed to satisfy constraint: Member must have value less than or equal "
                        + "to 1000000");
            }
            if (seg < 0 || seg >= tot) {
                throw DynamoDbException.validation("The Segment parameter is zero-based and must be less than "
                        + "parameter TotalSegments: Segment: " + seg + " is not less than TotalSegments: " + tot);
            }
            from = RowKey.bucketStart(RowKey.segmentStart(seg, tot));
            to = seg + 1 == tot ? null : RowKey.bucketStart(RowKey.segmentStart(seg + 1, tot));
        }
        RowKey start = plan.startRowKey();
        boolean fromInclusive = true;
        if (start != null && (from == null || start.compareTo(from) >= 0)) {
            from = start;
            fromInclusive = false;
        }
        NavigableMap<RowKey, Item> range = plan.map();
        if (from != null && to != null && from.compareTo(to) >= 0) {
            range = Collections.emptyNavigableMap();
        } else {
            range = from == null ? range : range.tailMap(from, fromInclusive);
            range = to == null ? range : range.headMap(to, false);
        }
        ObjectNode out = plan.page(range.entrySet().iterator(), item -> true, item -> true);
        Capacity.putRead(req, out, plan.table, plan.index, plan.bytesRead);
        return out;
    }
}
