package io.cqrsworkers.localaws.stepfunctions.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The event history of one execution, with AWS's event ids and previousEventId links. Events are kept compact
 * and only rendered as the API's JSON objects when the history is read or persisted. Once the execution has ended
 * and its history is in the persistent log, the heap copy is released and reads go to the log, so finished
 * executions do not pile up in memory.
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
    private List<Object> events = new ArrayList<>();
    private final Consumer<ObjectNode> sink;
    /** Reads the persisted events once the heap copy is released; null until then. */
    private Supplier<List<ObjectNode>> persisted;
    private int size;

    /** @param sink gets every event as it is appended (the persistent log), may be null */
    History(Consumer<ObjectNode> sink) {
        this.sink = sink;
    }

    /** Appends an event and returns its id. */
    public synchronized long add(long millis, String type, long previousEventId, String detailsKey, ObjectNode details) {
        long id = ++size;
        Event e = new Event(millis, type, id, previousEventId, detailsKey, details);
        if (persisted == null) {
            events.add(e);
        }
        if (sink != null) {
            sink.accept(e.render());
        }
        return id;
    }

    /** Drops the heap copy of a persisted history; {@code reader} reads it back from the log. */
    synchronized void release(Supplier<List<ObjectNode>> reader) {
        if (sink != null) {
            persisted = reader;
            events = List.of();
        }
    }

    /** Puts back an event read from the persistent log. */
    synchronized void restore(ObjectNode event) {
        events.add(event);
        size++;
    }

    public synchronized List<ObjectNode> snapshot() {
        if (persisted != null) {
            return persisted.get();
        }
        List<ObjectNode> out = new ArrayList<>(events.size());
        for (Object e : events) {
            out.add(e instanceof Event ev ? ev.render() : (ObjectNode) e);
        }
        return out;
    }

    public synchronized int size() {
        return size;
    }
}
