package io.cqrsworkers.localaws.sqs.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.http.AwsJsonServer.Operation;
import io.cqrsworkers.localaws.sqs.store.Queue;
import io.cqrsworkers.localaws.sqs.store.Queues;

import java.util.List;
import java.util.Map;

/** TagQueue, UntagQueue and ListQueueTags: three views of one map. */
final class Tags implements Operation {

    enum Action { TAG, UNTAG, LIST }

    private final Queues queues;
    private final Action action;

    Tags(Queues queues, Action action) {
        this.queues = queues;
        this.action = action;
    }

    @Override
    public ObjectNode handle(JsonNode request) {
        Queue queue = Requests.queue(queues, request);
        ObjectNode out = Requests.object();
        switch (action) {
            case TAG -> queue.tag(Requests.stringMap(request, "Tags"), List.of());
            case UNTAG -> queue.tag(Map.of(), Requests.strings(request, "TagKeys"));
            case LIST -> {
                Map<String, String> tags = queue.tags();
                if (!tags.isEmpty()) {
                    ObjectNode t = out.putObject("Tags");
                    tags.forEach(t::put);
                }
            }
        }
        return out;
    }
}
