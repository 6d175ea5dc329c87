package io.cqrsworkers.localaws.sqs.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Where a queue's messages go after too many receives. */
public record RedrivePolicy(String deadLetterTargetArn, int maxReceiveCount) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Parses the attribute value; maxReceiveCount may be a JSON number or a numeric string, as AWS accepts. */
    public static RedrivePolicy parse(String json) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (Exception e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            throw SqsException.invalidParameter("RedrivePolicy", json, "Redrive policy is not a valid JSON map.");
        }
        String target = node.path("deadLetterTargetArn").asText("");
        if (target.isEmpty()) {
            throw SqsException.invalidParameter("RedrivePolicy", json,
                    "Redrive policy does not contain mandatory attribute: deadLetterTargetArn.");
        }
        JsonNode count = node.get("maxReceiveCount");
        if (count == null) {
            throw SqsException.invalidParameter("RedrivePolicy", json,
                    "Redrive policy does not contain mandatory attribute: maxReceiveCount.");
        }
        int max;
        try {
            max = Integer.parseInt(count.asText().trim());
        } catch (NumberFormatException e) {
            max = 0;
        }
        if (max < 1 || max > 1000) {
            throw SqsException.invalidParameter("RedrivePolicy", json,
                    "Invalid value for maxReceiveCount: " + count.asText() + ", valid values are from 1 to 1000 both "
                            + "inclusive.");
        }
        return new RedrivePolicy(target, max);
    }

    /** The form GetQueueAttributes answers with. */
    public String toJson() {
        return MAPPER.createObjectNode().put("deadLetterTargetArn", deadLetterTargetArn)
                .put("maxReceiveCount", maxReceiveCount).toString();
    }
}
