package io.cqrsworkers.localaws.sqs.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.http.AwsJsonServer.Operation;
import io.cqrsworkers.localaws.sqs.store.Queue;
import io.cqrsworkers.localaws.sqs.store.Queues;

import java.util.List;

/** Queue URLs by name prefix; paged only when MaxResults is given, as in SQS (otherwise up to 1000). */
final class ListQueues implements Operation {

    private final Queues queues;

    ListQueues(Queues queues) {
        this.queues = queues;
    }

    @Override
    public ObjectNode handle(JsonNode request) {
        String prefix = Requests.text(request, "QueueNamePrefix");
        List<Queue> matching = queues.all().stream()
                .filter(q -> prefix == null || q.name().startsWith(prefix)).toList();
        return Paging.page(request, matching, "QueueUrls", queues);
    }
}
