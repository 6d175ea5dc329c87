package io.cqrsworkers.localaws.stepfunctions.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The event history of one execution, with AWS's event ids and previousEventId links. Events are kept compact
 * and only rendered as the API's JSON objects when the history is read or persisted.
 */
public final class History {
    private record Event(long millis, String type, long id, long previousEventId, String detailsKey, ObjectNode details) {
        ObjectNode render() {
            ObjectNode e = Json.object();
            e.put("timestamp", Json.epochSeconds(millis));
            e.put("type", type);
            e.put("id", id);
            e.put("previousEventId", previousEventId);
            if (detailsKey != null) {
                e.set(detailsKey, details);
            }
            return e;
        }
    }

    /** Event records, or ObjectNodes restored from the persistent log. */
    private final List<Object> events = new ArrayList<>();
    private final Consumer<ObjectNode> sink;

    /** @param sink gets every event as it is appended (the persistent log), may be null */
    History(Consumer<ObjectNode> sink) {
        this.sink = sink;
    }

    /** Appends an event and returns its id. */
    public synchronized long add(long millis, String type, long previousEventId, String detailsKey, ObjectNode details) {
        long id = events.size() + 1;
        Event e = new Event(millis, type, id, previousEventId, detailsKey, details);
        events.add(e);
        if (sink != null) {
            sink.accept(e.render());
        }
        return id;
    }

    /** Puts back an event read from the persistent log. */
    synchronized void restore(ObjectNode event) {
        events.add(event);
    }

    public synchronized List<ObjectNode> snapshot() {
        List<ObjectNode> out = new ArrayList<>(events.size());
        for (Object e : events) {
            out.add(e instanceof Event ev ? ev.render() : (ObjectNode) e);
        }
        return out;
    }

    public synchronized int size() {
        return events.size();
    }
}
