package io.cqrsworkers.localaws.dynamodb.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.localaws.dynamodb.model.DynamoDbException;
import io.cqrsworkers.localaws.dynamodb.model.Av;
import io.cqrsworkers.localaws.dynamodb.store.IndexDef;
import io.cqrsworkers.localaws.dynamodb.store.KeySchema;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Reads key schemas, attribute definitions and index specifications of CreateTable and UpdateTable. */
public final class TableSpecs {

    private TableSpecs() {
    }

    public static Map<String, Av.Type> attributeTypes(JsonNode defs) {
        Map<String, Av.Type> types = new HashMap<>();
        if (defs != null) {
            for (JsonNode d : defs) {
                String type = d.path("AttributeType").asText();
                if (!Set.of("S", "N", "B").contains(type)) {
                    throw DynamoDbException.validation("1 validation error detected: Value '" + type + "' at "
                            + "'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must "
                            + "satisfy enum value set: [B, N, S]");
                }
                types.put(d.path("AttributeName").asText(), Av.Type.valueOf(type));
            }
        }
        return types;
    }

    public static KeySchema keySchema(JsonNode schema, Map<String, Av.Type> types, Set<String> usedAttributes) {
        if (schema == null || schema.isNull() || schema.isEmpty()) {
            throw DynamoDbException.validation("1 validation error detected: Value null at 'keySchema' failed to "
                    + "satisfy constraint: Member must not be null");
        }
        String hash = null;
        String range = null;
        for (JsonNode k : schema) {
            String name = k.path("AttributeName").asText();
            if ("HASH".equals(k.path("KeyType").asText())) {
                hash = name;
            } else {
                range = name;
            }
        }
        if (hash == null || schema.size() > 2) {
            throw DynamoDbException.validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
        }
        for (String name : new String[] {hash, range}) {
            if (name != null && !types.containsKey(name)) {
                throw DynamoDbException.validation("One or more parameter values were invalid: Some index key "
                        + "attributes are not defined in AttributeDefinitions. Keys: [" + name
                        + "], AttributeDefinitions: " + types.keySet());
            }
            if (name != null) {
                usedAttributes.add(name);
            }
        }
        return new KeySchema(hash, types.get(hash), range, range == null ? null : types.get(range));
    }

    /** The StreamViewType of an enabled StreamSpecification. */
    static String streamViewType(JsonNode spec) {
        String type = spec.path("StreamViewType").asText(null);
        if (type == null) {
            throw DynamoDbException.validation("One or more parameter values were invalid: StreamViewType must be "
                    + "specified when StreamEnabled is true");
        }
        if (!Set.of("NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY").contains(type)) {
            throw DynamoDbException.validation("1 validation error detected: Value '" + type + "' at "
                    + "'streamSpecification.streamViewType' failed to satisfy constraint: Member must satisfy enum "
                    + "value set: [NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY]");
        }
        return type;
    }

    public static IndexDef index(JsonNode spec, boolean global, Map<String, Av.Type> types, Set<String> used) {
        String name = spec.path("IndexName").asText();
        KeySchema keys = keySchema(spec.get("KeySchema"), types, used);
        JsonNode projection = spec.path("Projection");
        String type = projection.path("ProjectionType").asText("ALL");
        Set<String> nonKey = new LinkedHashSet<>();
        projection.path("NonKeyAttributes").forEach(a -> nonKey.add(a.asText()));
        return new IndexDef(name, global, keys, type, nonKey, spec.deepCopy());
    }
}
