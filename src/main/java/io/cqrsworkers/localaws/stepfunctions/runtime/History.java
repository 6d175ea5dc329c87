package io.cqrsworkers.localaws.stepfunctions.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The event history of one execution, with AWS's event ids and previousEventId links. */
public final class History {
    private final List<ObjectNode> events = new ArrayList<>();
    private final Consumer<ObjectNode> sink;

    /** @param sink gets every event as it is appended (the persistent log), may be null */
    History(Consumer<ObjectNode> sink) {
        this.sink = sink;
    }

    /** Appends an event and returns its id. */
    public synchronized long add(long millis, String type, long previousEventId, String detailsKey, ObjectNode details) {
        long id = events.size() + 1;
        ObjectNode e = Json.object();
        e.put("timestamp", Json.epochSeconds(millis));
        e.put("type", type);
        e.put("id", id);
        e.put("previousEventId", previousEventId);
        if (detailsKey != null) {
            e.set(detailsKey, details);
        }
        events.add(e);
        if (sink != null) {
            sink.accept(e);
        }
        return id;
    }

    /** Puts back an event read from the persistent log. */
    synchronized void restore(ObjectNode event) {
        events.add(event);
    }

    public synchronized List<ObjectNode> snapshot() {
        return new ArrayList<>(events);
    }

    public synchronized int size() {
        return events.size();
    }
}
