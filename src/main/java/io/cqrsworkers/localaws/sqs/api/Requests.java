package io.cqrsworkers.localaws.sqs.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.sqs.store.SqsException;
import io.cqrsworkers.localaws.sqs.store.Queue;
import io.cqrsworkers.localaws.sqs.store.Queues;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reading request members and the checks several actions share. */
final class Requests {

    static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final int MAX_BATCH = 10;
    private static final Pattern BATCH_ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");

    private Requests() {
    }

    static Queue queue(Queues queues, JsonNode request) {
        return queues.byUrl(text(request, "QueueUrl"));
    }

    /** @return the member as text, or null when absent */
    static String text(JsonNode request, String member) {
        JsonNode n = request.get(member);
        return n == null || n.isNull() ? null : n.asText();
    }

    static String required(JsonNode request, String member) {
        String v = text(request, member);
        if (v == null) {
            throw SqsException.missingParameter(member);
        }
        return v;
    }

    /** An optional integer member checked against a range, with AWS's wording when out of it. */
    static int integer(JsonNode request, String member, int defaultValue, int min, int max) {
        JsonNode n = request.get(member);
        if (n == null || n.isNull()) {
            return defaultValue;
        }
        if (!n.canConvertToInt() || n.asInt() < min || n.asInt() > max) {
            throw SqsException.invalidParameter(member, n.asText(),
                    "Must be between " + min + " and " + max + ", if provided.");
        }
        return n.asInt();
    }

    static Map<String, String> stringMap(JsonNode request, String member) {
        Map<String, String> m = new LinkedHashMap<>();
        JsonNode n = request.get(member);
        if (n != null && n.isObject()) {
            n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        }
        return m;
    }

    static List<String> strings(JsonNode request, String member) {
        List<String> out = new ArrayList<>();
        JsonNode n = request.get(member);
        if (n != null && n.isArray()) {
            n.forEach(v -> out.add(v.asText()));
        }
        return out;
    }

    /**
     * The entries of a batch action, after the checks that fail the whole request: none, more than ten, an id
     * that is malformed or repeated.
     *
     * @param entryShape e.g. SendMessageBatchRequestEntry, named in the empty-batch message
     */
    static List<JsonNode> batchEntries(JsonNode request, String entryShape) {
        JsonNode entries = request.get("Entries");
        List<JsonNode> out = new ArrayList<>();
        if (entries != null && entries.isArray()) {
            entries.forEach(out::add);
        }
        if (out.isEmpty()) {
            throw batchError("EmptyBatchRequest", "There should be at least one " + entryShape + " in the request.");
        }
        if (out.size() > MAX_BATCH) {
            throw batchError("TooManyEntriesInBatchRequest",
                    "Maximum number of entries per request are " + MAX_BATCH + ". You have sent " + out.size() + ".");
        }
        Set<String> ids = new HashSet<>();
        for (JsonNode e : out) {
            String id = e.path("Id").asText("");
            if (!BATCH_ID.matcher(id).matches()) {
                throw batchError("InvalidBatchEntryId", "A batch entry id can only contain alphanumeric characters, "
                        + "hyphens and underscores. It can be at most 80 letters long.");
            }
            if (!ids.add(id)) {
                throw batchError("BatchEntryIdsNotDistinct", "Id " + id + " repeated.");
            }
        }
        return out;
    }

    static SqsException batchError(String shape, String message) {
        return new SqsException(shape, "AWS.SimpleQueueService." + shape, message, 400);
    }

    /** A Failed entry of a batch result. */
    static void failed(ArrayNode failed, String id, SqsException e) {
        failed.addObject().put("Id", id).put("SenderFault", true).put("Code", e.queryCode())
                .put("Message", e.getMessage());
    }

    static ObjectNode object() {
        return JSON.objectNode();
    }
}
