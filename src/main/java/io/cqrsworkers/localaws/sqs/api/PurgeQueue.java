package io.cqrsworkers.localaws.sqs.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.http.AwsJsonServer.Operation;
import io.cqrsworkers.localaws.sqs.store.Queues;

/** Deletes every message at once (SQS allows one purge a minute; not enforced here). */
final class PurgeQueue implements Operation {

    private final Queues queues;

    PurgeQueue(Queues queues) {
        this.queues = queues;
    }

    @Override
    public ObjectNode handle(JsonNode request) {
        Requests.queue(queues, request).purge();
        return Requests.object();
    }
}
