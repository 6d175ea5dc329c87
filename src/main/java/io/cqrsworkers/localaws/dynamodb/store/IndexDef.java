package io.cqrsworkers.localaws.dynamodb.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.localaws.dynamodb.model.Av;
import io.cqrsworkers.localaws.dynamodb.model.Item;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A local or global secondary index: its key schema and projection. {@code spec} is the index as given at creation
 * (IndexName, KeySchema, Projection, ProvisionedThroughput), kept for DescribeTable.
 */
public record IndexDef(String name, boolean global, KeySchema keys, String projectionType, Set<String> nonKeyAttributes,
                       JsonNode spec) {

    /** The index entry key of an item, or null when the item lacks an index key attribute (sparse index). */
    RowKey entryKey(Item item, RowKey tableKey) {
        Av h = item.get(keys.hashName());
        if (h == null || h.type() != keys.hashType()) {
            return null;
        }
        Av r = null;
        if (keys.rangeName() != null) {
            r = item.get(keys.rangeName());
            if (r == null || r.type() != keys.rangeType()) {
                return null;
            }
        }
        return new RowKey(h, r, tableKey, 0);
    }

    /** Whether the index holds {@code attribute} for queries that ask for it. */
    public boolean projects(String attribute, KeySchema tableKeys) {
        return projectionType.equals("ALL") || keys.isKey(attribute) || tableKeys.isKey(attribute)
                || nonKeyAttributes.contains(attribute);
    }

    /** The attributes of the item that the index holds. */
    public Map<String, Av> project(Item item, KeySchema tableKeys) {
        Map<String, Av> out = new LinkedHashMap<>();
        for (int i = 0; i < item.attributeCount(); i++) {
            if (projects(item.name(i), tableKeys)) {
                out.put(item.name(i), item.value(i));
            }
        }
        return out;
    }
}
