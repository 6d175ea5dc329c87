package io.cqrsworkers.localaws.sqs.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.http.AwsJsonServer.Operation;
import io.cqrsworkers.localaws.sqs.store.SqsException;
import io.cqrsworkers.localaws.sqs.store.Queues;

final class GetQueueUrl implements Operation {

    private final Queues queues;

    GetQueueUrl(Queues queues) {
        this.queues = queues;
    }

    @Override
    public ObjectNode handle(JsonNode request) {
        String owner = Requests.text(request, "QueueOwnerAWSAccountId");
        if (owner != null && !owner.equals(queues.accountId())) {
            throw SqsException.queueDoesNotExist();
        }
        return Requests.object().put("QueueUrl",
                queues.url(queues.byName(Requests.required(request, "QueueName"))));
    }
}
