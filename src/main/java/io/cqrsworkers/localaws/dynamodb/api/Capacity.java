package io.cqrsworkers.localaws.dynamodb.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.dynamodb.model.Item;
import io.cqrsworkers.localaws.dynamodb.store.IndexDef;
import io.cqrsworkers.localaws.dynamodb.store.Table;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ConsumedCapacity as the DynamoDB Developer Guide documents it ("Read/write capacity mode", "Capacity unit
 * consumption"): a read is the item size rounded up to 4 KB (Query and Scan: the total size of the items read), at
 * least one unit, half of it for an eventually consistent read; a write is the larger of the old and new item
 * rounded up to 1 KB, at least one unit; transactional reads and writes cost twice as much. Writes also consume on
 * every secondary index whose key the old or new item carries (the projected item, rounded up to 1 KB; a changed
 * index key is a delete plus a put). The total includes the indexes; with INDEXES the parts are listed per table and
 * per index. Computed only when asked for.
 */
final class Capacity {

    /** Capacity spent on one table during one call: on the table itself and per index. */
    static final class Usage {
        final String table;
        double tableUnits;
        final Map<IndexDef, Double> indexUnits = new LinkedHashMap<>();

        Usage(String table) {
            this.table = table;
        }

        double total() {
            double t = tableUnits;
            for (double u : indexUnits.values()) {
                t += u;
            }
            return t;
        }

        void addIndex(IndexDef index, double units) {
            indexUnits.merge(index, units, Double::sum);
        }

        ObjectNode render(String mode) {
            ObjectNode c = Requests.object();
            c.put("TableName", table);
            c.put("CapacityUnits", total());
            if ("INDEXES".equals(mode)) {
                c.putObject("Table").put("CapacityUnits", tableUnits);
                for (Map.Entry<IndexDef, Double> e : indexUnits.entrySet()) {
                    ObjectNode group = c.has(group(e.getKey())) ? (ObjectNode) c.get(group(e.getKey()))
                            : c.putObject(group(e.getKey()));
                    group.putObject(e.getKey().name()).put("CapacityUnits", e.getValue());
                }
            }
            return c;
        }

        private static String group(IndexDef index) {
            return index.global() ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes";
        }
    }

    private Capacity() {
    }

    /** TOTAL or INDEXES when the request asks for consumed capacity, else null. */
    static String mode(JsonNode req) {
        String mode = Requests.text(req, "ReturnConsumedCapacity");
        return "TOTAL".equals(mode) || "INDEXES".equals(mode) ? mode : null;
    }

    static double readUnits(long bytes, boolean consistent) {
        double units = Math.max(1, Math.ceil(bytes / 4096.0));
        return consistent ? units : units / 2;
    }

    static double writeUnits(long bytes) {
        return Math.max(1, Math.ceil(bytes / 1024.0));
    }

    private static int size(Item item) {
        return item == null ? 0 : item.size();
    }

    /** A write of one item (old and new image, either may be null) on {@code usage}, times {@code factor}. */
    static void write(Usage usage, Table table, Item old, Item updated, double factor) {
        usage.tableUnits += factor * writeUnits(Math.max(size(old), size(updated)));
        for (IndexDef index : table.indexes()) {
            Item before = projected(index, table, old);
            Item after = projected(index, table, updated);
            if (before == null && after == null) {
                continue;
            }
            double units;
            if (before != null && after != null && sameIndexKey(index, old, updated)) {
                units = writeUnits(Math.max(before.size(), after.size()));
            } else {
                units = (before == null ? 0 : writeUnits(before.size())) + (after == null ? 0 : writeUnits(after.size()));
            }
            usage.addIndex(index, factor * units);
        }
    }

    private static Item projected(IndexDef index, Table table, Item item) {
        if (item == null || item.get(index.keys().hashName()) == null
                || index.keys().rangeName() != null && item.get(index.keys().rangeName()) == null) {
            return null;
        }
        return Item.of(index.project(item, table.keys()));
    }

    private static boolean sameIndexKey(IndexDef index, Item a, Item b) {
        return a.get(index.keys().hashName()).equals(b.get(index.keys().hashName()))
                && (index.keys().rangeName() == null
                || a.get(index.keys().rangeName()).equals(b.get(index.keys().rangeName())));
    }

    /** Adds ConsumedCapacity for a single-item write to {@code out} when the request asks for it. */
    static void putWrite(JsonNode req, ObjectNode out, Table table, Item old, Item updated) {
        String mode = mode(req);
        if (mode != null) {
            Usage u = new Usage(table.name());
            write(u, table, old, updated, 1);
            out.set("ConsumedCapacity", u.render(mode));
        }
    }

    /** Adds ConsumedCapacity for a read of {@code bytes} from the table or an index. */
    static void putRead(JsonNode req, ObjectNode out, Table table, IndexDef index, long bytes) {
        String mode = mode(req);
        if (mode != null) {
            Usage u = new Usage(table.name());
            double units = readUnits(bytes, req.path("ConsistentRead").asBoolean(false));
            if (index == null) {
                u.tableUnits = units;
            } else {
                u.addIndex(index, units);
            }
            out.set("ConsumedCapacity", u.render(mode));
        }
    }
}
