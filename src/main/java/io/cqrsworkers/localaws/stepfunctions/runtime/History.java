package io.cqrsworkers.localaws.stepfunctions.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.core.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The log of one execution: the events of its API history, with AWS's ids and previousEventId links, and between
 * them markers of the engine's own (a retry scheduled, a branch failed, a heartbeat) that the API never shows. Each
 * entry names the flow (branch, iteration) it belongs to. While the execution runs this log is what a restart
 * resumes it from; once it has ended and its history is on disk, the heap copy is released and reads go to disk.
 */
public final class History {
    /**
     * One entry: an API event ({@code event} set, {@code marker} null) or a marker. {@link #data} is what a resume
     * needs beyond the event (the next state of an exit, a task token), or the marker's content; {@code resume}
     * holds it, or only the name of the next state (the common case, made an object when read). The event is kept
     * as its JSON text in a journaled execution (written for the journal anyway, and a tenth of the heap of the tree:
     * a million parked executions fit), as its {@link Fields} in one kept in the heap only (nothing is serialised
     * or copied: the payloads are the states' own values), or as the tree parsed from either ({@link #parsed}).
     */
    public record Entry(long seq, String flow, Object eventForm, String marker, Object resume) {
        public ObjectNode data() {
            return resume instanceof String next ? Json.object().put(Recovery.NEXT, next) : (ObjectNode) resume;
        }

        public boolean isEvent() {
            return marker == null;
        }

        /** The event as a tree (parsed from its text, or built from its fields). */
        public ObjectNode event() {
            if (eventForm instanceof String text) {
                return (ObjectNode) Json.parseUnchecked(text);
            }
            return eventForm instanceof Fields f ? f.tree() : (ObjectNode) eventForm;
        }

        /** The event's JSON text, or null when it is not kept as text. */
        public String eventText() {
            return eventForm instanceof String text ? text : null;
        }

        /** The same entry with its event as a tree, for code that reads it several times. */
        Entry parsed() {
            return eventForm == null || eventForm instanceof ObjectNode ? this : new Entry(seq, flow, event(), marker, resume);
        }

        public String type() {
            if (marker != null) {
                return marker;
            }
            return eventForm instanceof Fields f ? f.type : event().path("type").asText();
        }

        public long eventId() {
            if (eventForm == null) {
                return 0;
            }
            return eventForm instanceof Fields f ? f.id : event().path("id").asLong();
        }

        public long millis() {
            if (eventForm == null) {
                return data().path("at").asLong();
            }
            return eventForm instanceof Fields f ? f.millis : (long) (event().path("timestamp").asDouble() * 1000);
        }
    }

    /**
     * An event as its parts. {@code details} is an ObjectNode, or {@link Details} for the events every transition or
     * Map iteration logs (the hot path), which become the same object when read.
     */
    record Fields(long millis, String type, long id, long previousEventId, String detailsKey, Object details) {
        ObjectNode tree() {
            ObjectNode e = Json.object();
            e.put("timestamp", Json.epochSeconds(millis));
            e.put("type", type);
            e.put("id", id);
            e.put("previousEventId", previousEventId);
            if (detailsKey != null) {
                e.set(detailsKey, details instanceof Details d ? d.tree() : (ObjectNode) details);
            }
            return e;
        }

        /**
         * The event's JSON text, the same as {@code Json.write(tree())}, written straight: one payload text per
         * event and no generator inside another (the journal writes it for every transition).
         */
        String text() {
            StringBuilder b = new StringBuilder(192).append("{\"timestamp\":").append(Json.epochSeconds(millis))
                    .append(",\"type\":\"").append(type).append("\",\"id\":").append(id)
                    .append(",\"previousEventId\":").append(previousEventId);
            if (detailsKey != null) {
                b.append(",\"").append(detailsKey).append("\":");
                if (details instanceof Details d) {
                    d.appendTo(b);
                } else {
                    b.append(Json.write((ObjectNode) details));
                }
            }
            return b.append('}').toString();
        }
    }

    /** Event details kept as their parts until read. */
    sealed interface Details permits Payload, Iteration {
        ObjectNode tree();

        /** Appends the JSON text of {@link #tree}. */
        void appendTo(StringBuilder b);
    }

    /** The details of a state's entry or exit: {@code {"name", <key>: text of value, <key>Details: not truncated}}. */
    record Payload(String name, String key, JsonNode value) implements Details {
        @Override
        public ObjectNode tree() {
            ObjectNode d = Json.object();
            d.put("name", name);
            d.set(key, Json.lazyText(value));
            d.set(key + "Details", Json.NOT_TRUNCATED);
            return d;
        }

        @Override
        public void appendTo(StringBuilder b) {
            b.append("{\"name\":");
            Json.quoted(name, b);
            b.append(",\"").append(key).append("\":");
            Json.quoted(Json.write(value), b);
            b.append(",\"").append(key).append("Details\":{\"truncated\":false}}");
        }
    }

    /** The details of a Map iteration's event: {@code {"name", "index"}}. */
    record Iteration(String name, int index) implements Details {
        @Override
        public ObjectNode tree() {
            return Json.object().put("name", name).put("index", index);
        }

        @Override
        public void appendTo(StringBuilder b) {
            b.append("{\"name\":");
            Json.quoted(name, b);
            b.append(",\"index\":").append(index).append('}');
        }
    }

    private List<Entry> entries;
    /** Gets every entry as it is appended (the journal); null for an execution kept in the heap only. */
    private final Consumer<Entry> sink;
    /** Reads the events back from disk once the heap copy is released; null until then. */
    private Supplier<List<ObjectNode>> released;
    private long seq;
    private int size;

    /** {@code expectedEntries}: room for what a run through the machine once logs, so the list seldom grows. */
    History(Consumer<Entry> sink, int expectedEntries) {
        this.sink = sink;
        this.entries = new ArrayList<>(expectedEntries);
    }

    /** Appends an event and returns its id. */
    public long add(long millis, String type, long previousEventId, String detailsKey, ObjectNode details) {
        return add(millis, type, previousEventId, detailsKey, details, "", null);
    }

    /** {@code details}: an ObjectNode or {@link Details}; {@code resume}: see {@link Entry}. */
    synchronized long add(long millis, String type, long previousEventId, String detailsKey, Object details,
                          String flow, Object resume) {
        long id = ++size;
        Fields e = new Fields(millis, type, id, previousEventId, detailsKey, details);
        append(new Entry(++seq, flow, sink == null ? e : e.text(), null, resume));
        return id;
    }

    /** What {@link #addWithin} answers when the event was not logged: the history is full. */
    static final long FULL = -1;

    /**
     * Appends a state's event unless it would take the last id a history of {@code limit} events has, which only
     * the execution's own end may take: then nothing is logged and the answer is {@link #FULL}. Checked under the
     * history's lock, so of two branches racing for the last id exactly one finds it full.
     */
    synchronized long addWithin(int limit, long millis, String type, long previousEventId, String detailsKey,
                                Object details, String flow, Object resume) {
        if (size >= limit - 1) {
            return FULL;
        }
        return add(millis, type, previousEventId, detailsKey, details, flow, resume);
    }

    /** Appends a marker of the engine's own. */
    synchronized void mark(String flow, String marker, ObjectNode data) {
        append(new Entry(++seq, flow, null, marker, data));
    }

    private void append(Entry entry) {
        if (released == null) {
            entries.add(entry);
        }
        if (sink != null) {
            sink.accept(entry);
        }
    }

    /** Puts back an entry read from the journal. */
    synchronized void restore(Entry entry) {
        entries.add(entry);
        seq = entry.seq();
        if (entry.isEvent()) {
            size = (int) entry.eventId();
        }
    }

    /**
     * An ended execution kept in the heap only: its events move into a few arrays (the markers, which only a resume
     * reads, are dropped), so a closed history costs a handful of objects instead of three per event. Only the API
     * reads it from then on.
     */
    synchronized void close() {
        if (released != null) {
            return;
        }
        List<Fields> events = new ArrayList<>(size);
        for (Entry e : entries) {
            if (e.eventForm() instanceof Fields f) {
                events.add(f);
            } else if (e.isEvent()) {
                return; // an event kept otherwise (read back from a journal): stays as it is
            }
        }
        Closed closed = new Closed(events);
        release(closed::trees);
    }

    /**
     * A closed history's events as arrays of their parts; ids run 1..n in order. A state's input or output is kept
     * as its JSON text (the text the API answers with anyway) in one string, written once per value (a state's
     * input is most often the previous state's output). The payload trees were most of a closed history: a 50-state
     * Pass chain kept 17 KB, now about 6 KB in a few arrays, which the garbage collector copies without walking them.
     */
    private static final class Closed {
        /** Each worker thread writes the payloads of the histories it closes into one buffer, copied out at the end. */
        private static final ThreadLocal<StringBuilder> TEXT_BUFFERS = ThreadLocal.withInitial(() -> new StringBuilder(1024));
        /** A buffer grown past this by a large history is not kept. */
        private static final int MAX_KEPT_BUFFER = 1 << 20;

        private final long[] millis;
        private final int[] previous;
        private final String[] types;
        private final String[] detailsKeys;
        /** The details, or for a {@link Payload} its state name. */
        private final Object[] details;
        /** For a {@link Payload}: its key, else null. */
        private final String[] payloadKeys;
        /** For a {@link Payload}: where its value's text starts in {@link #texts} and its length. */
        private final int[] textStart;
        private final int[] textLength;
        /** The payloads' texts, one after another (a Latin-1 string: a byte a character for ASCII). */
        private final String texts;

        Closed(List<Fields> events) {
            int n = events.size();
            millis = new long[n];
            previous = new int[n];
            types = new String[n];
            detailsKeys = new String[n];
            details = new Object[n];
            payloadKeys = new String[n];
            textStart = new int[n];
            textLength = new int[n];
            StringBuilder buffer = TEXT_BUFFERS.get();
            buffer.setLength(0);
            JsonNode lastValue = null;
            int lastStart = 0;
            int lastLength = 0;
            for (int i = 0; i < n; i++) {
                Fields f = events.get(i);
                millis[i] = f.millis();
                // ids are below the history limit, an int
                previous[i] = (int) f.previousEventId();
                types[i] = f.type();
                detailsKeys[i] = f.detailsKey();
                if (f.details() instanceof Payload p) {
                    details[i] = p.name();
                    payloadKeys[i] = p.key();
                    if (p.value() != lastValue) {
                        lastStart = buffer.length();
                        Json.write(p.value(), buffer);
                        lastLength = buffer.length() - lastStart;
                        lastValue = p.value();
                    }
                    textStart[i] = lastStart;
                    textLength[i] = lastLength;
                } else {
                    details[i] = f.details();
                }
            }
            texts = buffer.toString();
            if (buffer.capacity() > MAX_KEPT_BUFFER) {
                TEXT_BUFFERS.remove();
            }
        }

        List<ObjectNode> trees() {
            List<ObjectNode> out = new ArrayList<>(types.length);
            for (int i = 0; i < types.length; i++) {
                Object d = details[i];
                if (payloadKeys[i] != null) {
                    String key = payloadKeys[i];
                    ObjectNode p = Json.object();
                    p.put("name", (String) d);
                    p.put(key, texts.substring(textStart[i], textStart[i] + textLength[i]));
                    p.set(key + "Details", Json.NOT_TRUNCATED);
                    d = p;
                }
                out.add(new Fields(millis[i], types[i], i + 1, previous[i], detailsKeys[i], d).tree());
            }
            return out;
        }
    }

    /** Drops the heap copy once the history is on disk; {@code reader} reads it back. */
    synchronized void release(Supplier<List<ObjectNode>> reader) {
        released = reader;
        entries = List.of();
    }

    /** The entries in the heap (events and markers), in order. */
    synchronized List<Entry> entries() {
        return new ArrayList<>(entries);
    }

    /** The API's history: events only. */
    public synchronized List<ObjectNode> snapshot() {
        if (released != null) {
            return released.get();
        }
        List<ObjectNode> out = new ArrayList<>(size);
        for (Entry e : entries) {
            if (e.isEvent()) {
                out.add(e.event());
            }
        }
        return out;
    }

    /** The API's history as JSON lines, as written to disk when the execution ends. */
    synchronized List<String> eventTexts() {
        List<String> out = new ArrayList<>(size);
        for (Entry e : entries) {
            if (e.isEvent()) {
                out.add(e.eventText() != null ? e.eventText() : Json.write(e.event()));
            }
        }
        return out;
    }

    public synchronized int size() {
        return size;
    }
}
