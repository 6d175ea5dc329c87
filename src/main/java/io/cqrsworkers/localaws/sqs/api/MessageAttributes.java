package io.cqrsworkers.localaws.sqs.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.sqs.store.SqsException;
import io.cqrsworkers.localaws.sqs.store.MessageAttribute;

import java.math.BigDecimal;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Message attributes (and message system attributes) in the JSON protocol: reading, checking, writing, selecting. */
final class MessageAttributes {

    private static final int MAX_ATTRIBUTES = 10;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,256}");

    private MessageAttributes() {
    }

    /** Reads a {@code MessageAttributes} (or {@code MessageSystemAttributes}) map. */
    static SortedMap<String, MessageAttribute> read(JsonNode map) {
        if (map == null || !map.isObject() || map.isEmpty()) {
            return Collections.emptySortedMap();
        }
        if (map.size() > MAX_ATTRIBUTES) {
            throw SqsException.invalidParameter("Number of message attributes [" + map.size()
                    + "] exceeds the allowed maximum [" + MAX_ATTRIBUTES + "].");
        }
        SortedMap<String, MessageAttribute> out = new TreeMap<>();
        var fields = map.fields();
        while (fields.hasNext()) {
            var e = fields.next();
            out.put(e.getKey(), attribute(e.getKey(), e.getValue()));
        }
        return out;
    }

    private static MessageAttribute attribute(String name, JsonNode v) {
        if (!NAME.matcher(name).matches() || name.startsWith(".") || name.endsWith(".") || name.contains("..")
                || name.toLowerCase().startsWith("aws.") || name.toLowerCase().startsWith("amazon.")) {
            throw SqsException.invalidParameter("Message (user) attribute name '" + name + "' is invalid.");
        }
        String type = v.path("DataType").asText("");
        if (type.isEmpty()) {
            throw SqsException.invalidParameter("The message attribute '" + name
                    + "' must contain non-empty message attribute type.");
        }
        String base = type.contains(".") ? type.substring(0, type.indexOf('.')) : type;
        boolean hasString = v.hasNonNull("StringValue");
        boolean hasBinary = v.hasNonNull("BinaryValue");
        switch (base) {
            case "String", "Number" -> {
                if (!hasString || v.get("StringValue").asText().isEmpty()) {
                    throw SqsException.invalidParameter("The message attribute '" + name
                            + "' must contain non-empty message attribute value for message attribute type '"
                            + base + "'.");
                }
                String value = v.get("StringValue").asText();
                if (base.equals("Number")) {
                    try {
                        new BigDecimal(value);
                    } catch (NumberFormatException e) {
                        throw SqsException.invalidParameter("Could not cast message attribute '" + name
                                + "' value to number.");
                    }
                }
                return new MessageAttribute(type, value, null);
            }
            case "Binary" -> {
                byte[] bytes = hasBinary ? Base64.getDecoder().decode(v.get("BinaryValue").asText()) : new byte[0];
                if (bytes.length == 0) {
                    throw SqsException.invalidParameter("The message attribute '" + name
                            + "' must contain non-empty message attribute value for message attribute type 'Binary'.");
                }
                return new MessageAttribute(type, null, bytes);
            }
            default -> throw SqsException.invalidParameter("The type of message (user) attribute '" + name
                    + "' is invalid. You must use only the following supported type prefixes: Binary, Number, "
                    + "String.");
        }
    }

    static ObjectNode write(Map<String, MessageAttribute> attributes) {
        ObjectNode out = Requests.object();
        attributes.forEach((name, a) -> {
            ObjectNode v = out.putObject(name);
            if (a.isBinary()) {
                v.put("BinaryValue", Base64.getEncoder().encodeToString(a.binaryValue()));
            } else {
                v.put("StringValue", a.stringValue());
            }
            v.put("DataType", a.dataType());
        });
        return out;
    }

    /** The attributes a receive asked for: {@code All}, {@code .*}, {@code prefix.*} or exact names. */
    static SortedMap<String, MessageAttribute> select(SortedMap<String, MessageAttribute> attributes,
                                                      Collection<String> names) {
        if (attributes.isEmpty() || names.isEmpty()) {
            return Collections.emptySortedMap();
        }
        if (names.contains("All") || names.contains(".*")) {
            return attributes;
        }
        SortedMap<String, MessageAttribute> out = new TreeMap<>();
        for (String wanted : names) {
            if (wanted.endsWith(".*")) {
                String prefix = wanted.substring(0, wanted.length() - 1);
                attributes.forEach((k, v) -> {
                    if (k.startsWith(prefix)) {
                        out.put(k, v);
                    }
                });
            } else if (attributes.containsKey(wanted)) {
                out.put(wanted, attributes.get(wanted));
            }
        }
        return out;
    }
}
