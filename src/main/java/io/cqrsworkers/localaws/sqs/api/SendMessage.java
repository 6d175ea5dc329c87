package io.cqrsworkers.localaws.sqs.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.http.AwsJsonServer.Operation;
import io.cqrsworkers.localaws.sqs.store.Message;
import io.cqrsworkers.localaws.sqs.store.Queue;
import io.cqrsworkers.localaws.sqs.store.Queues;

import java.util.List;

final class SendMessage implements Operation {

    private final Queues queues;
    private final Sending sending;

    SendMessage(Queues queues, Sending sending) {
        this.queues = queues;
        this.sending = sending;
    }

    @Override
    public ObjectNode handle(JsonNode request) {
        Queue queue = Requests.queue(queues, request);
        Message m = sending.message(queue, request);
        return Sending.answer(Requests.object(), m, queue.send(List.of(m)).get(0));
    }
}
