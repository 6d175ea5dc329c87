package io.cqrsworkers.localaws.dynamodb.store;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.cqrsworkers.localaws.dynamodb.model.DynamoDbException;
import io.cqrsworkers.localaws.dynamodb.model.Av;
import io.cqrsworkers.localaws.dynamodb.model.Item;

import java.util.LinkedHashMap;
import java.util.Map;

/** Partition key and optional sort key of a table or index, with their scalar types. */
public record KeySchema(String hashName, Av.Type hashType, String rangeName, Av.Type rangeType) {

    public boolean isKey(String attribute) {
        return attribute.equals(hashName) || attribute.equals(rangeName);
    }

    /** The key of an item written with PutItem; rejects missing or mistyped key attributes. */
    public RowKey keyOfItem(Map<String, Av> item) {
        Av h = itemKeyPart(item, hashName, hashType);
        Av r = rangeName == null ? null : itemKeyPart(item, rangeName, rangeType);
        checkKeySizes(h, r);
        return RowKey.of(h, r);
    }

    private static Av itemKeyPart(Map<String, Av> item, String name, Av.Type type) {
        Av v = item.get(name);
        if (v == null) {
            throw DynamoDbException.validation("One or more parameter values were invalid: Missing the key "
                    + name + " in the item");
        }
        if (v.type() != type) {
            throw DynamoDbException.validation("One or more parameter values were invalid: Type mismatch for key "
                    + name + " expected: " + type + " actual: " + v.type());
        }
        checkNotEmpty(name, v);
        return v;
    }

    /** AWS's limits on key sizes: 2048 bytes for a partition key, 1024 for a sort key. */
    void checkKeySizes(Av hash, Av range) {
        if (hash.size() > 2048) {
            throw DynamoDbException.validation("One or more parameter values were invalid: Size of hashkey has "
                    + "exceeded the maximum size limit of2048 bytes");
        }
        if (range != null && range.size() > 1024) {
            throw DynamoDbException.validation("One or more parameter values were invalid: Aggregated size of all "
                    + "range keys has exceeded the size limit of 1024 bytes");
        }
    }

    static void checkNotEmpty(String name, Av v) {
        if (v.type() == Av.Type.S && v.s().isEmpty() || v.type() == Av.Type.B && v.b().bytes().length == 0) {
            throw DynamoDbException.validation("One or more parameter values are not valid. The AttributeValue for a "
                    + "key attribute cannot contain an empty " + (v.type() == Av.Type.S ? "string" : "binary")
                    + " value. Key: " + name);
        }
    }

    /** The key given as a Key parameter: exactly the key attributes with the right types. */
    public RowKey keyOfKeyParam(Map<String, Av> key) {
        int expected = rangeName == null ? 1 : 2;
        Av h = key.get(hashName);
        Av r = rangeName == null ? null : key.get(rangeName);
        if (key.size() != expected || h == null || h.type() != hashType
                || rangeName != null && (r == null || r.type() != rangeType)) {
            throw DynamoDbException.validation("The provided key element does not match the schema");
        }
        checkNotEmpty(hashName, h);
        if (r != null) {
            checkNotEmpty(rangeName, r);
        }
        checkKeySizes(h, r);
        return RowKey.of(h, r);
    }

    /** The key attributes of an item, as the map a Keys or LastEvaluatedKey holds. */
    public Map<String, Av> keyAttributes(Item item) {
        Map<String, Av> m = new LinkedHashMap<>(4);
        m.put(hashName, item.get(hashName));
        if (rangeName != null) {
            m.put(rangeName, item.get(rangeName));
        }
        return m;
    }

    public ArrayNode toJson() {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        a.addObject().put("AttributeName", hashName).put("KeyType", "HASH");
        if (rangeName != null) {
            a.addObject().put("AttributeName", rangeName).put("KeyType", "RANGE");
        }
        return a;
    }
}
