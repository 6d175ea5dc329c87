package io.cqrsworkers.localaws.sqs.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.http.AwsJsonServer.Operation;
import io.cqrsworkers.localaws.sqs.store.SqsException;
import io.cqrsworkers.localaws.sqs.store.QueueAttributes;
import io.cqrsworkers.localaws.sqs.store.Queues;

import java.util.List;
import java.util.Map;
import java.util.Set;

final class GetQueueAttributes implements Operation {

    /** Names SQS knows that this queue may not have a value for (then they are left out, not refused). */
    private static final Set<String> KNOWN = Set.of("All", "Policy", "RedrivePolicy", "RedriveAllowPolicy",
            "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled", "FifoQueue",
            "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit");

    private final Queues queues;

    GetQueueAttributes(Queues queues) {
        this.queues = queues;
    }

    @Override
    public ObjectNode handle(JsonNode request) {
        List<String> names = Requests.strings(request, "AttributeNames");
        Map<String, String> all = Requests.queue(queues, request).allAttributes();
        ObjectNode out = Requests.object();
        if (names.isEmpty()) {
            return out;
        }
        ObjectNode attributes = out.putObject("Attributes");
        if (names.contains("All")) {
            all.forEach(attributes::put);
            return out;
        }
        for (String name : names) {
            if (all.containsKey(name)) {
                attributes.put(name, all.get(name));
            } else if (!KNOWN.contains(name) && !QueueAttributes.defaults().containsKey(name)) {
                throw SqsException.invalidAttributeName(name);
            }
        }
        return out;
    }
}
