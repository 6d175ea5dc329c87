package io.cqrsworkers.localaws.sqs.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.sqs.store.SqsException;
import io.cqrsworkers.localaws.sqs.store.Queue;
import io.cqrsworkers.localaws.sqs.store.Queues;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** Pages of queue URLs (ListQueues, ListDeadLetterSourceQueues); the token names the last queue of the page. */
final class Paging {

    private static final int UNPAGED_LIMIT = 1000;

    private Paging() {
    }

    /** @param queues sorted by name */
    static ObjectNode page(JsonNode request, List<Queue> sorted, String member, Queues queues) {
        boolean paged = request.hasNonNull("MaxResults");
        int max = Requests.integer(request, "MaxResults", UNPAGED_LIMIT, 1, 1000);
        String after = null;
        String token = Requests.text(request, "NextToken");
        if (token != null) {
            try {
                after = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw SqsException.invalidParameter("NextToken", token, "Invalid NextToken value.");
            }
        }
        ObjectNode out = Requests.object();
        ArrayNode urls = out.putArray(member);
        String last = null;
        int remaining = 0;
        for (Queue q : sorted) {
            if (after != null && q.name().compareTo(after) <= 0) {
                continue;
            }
            if (urls.size() == max) {
                remaining++;
                break;
            }
            urls.add(queues.url(q));
            last = q.name();
        }
        if (paged && remaining > 0) {
            out.put("NextToken", Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(last.getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }
}
