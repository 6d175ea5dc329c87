package io.cqrsworkers.localaws.sqs.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.http.AwsJsonServer.Operation;
import io.cqrsworkers.localaws.sqs.store.Queue;
import io.cqrsworkers.localaws.sqs.store.Queues;

import java.util.List;

/** The queues whose redrive policy targets this one (answered in the lower-case {@code queueUrls} member). */
final class ListDeadLetterSourceQueues implements Operation {

    private final Queues queues;

    ListDeadLetterSourceQueues(Queues queues) {
        this.queues = queues;
    }

    @Override
    public ObjectNode handle(JsonNode request) {
        String arn = Requests.queue(queues, request).arn();
        List<Queue> sources = queues.all().stream().filter(q -> arn.equals(q.deadLetterTargetArn())).toList();
        return Paging.page(request, sources, "queueUrls", queues);
    }
}
