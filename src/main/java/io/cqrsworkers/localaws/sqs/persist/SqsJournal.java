package io.cqrsworkers.localaws.sqs.persist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.persist.JsonLinesLog;
import io.cqrsworkers.localaws.persist.StateJournal;
import io.cqrsworkers.localaws.sqs.store.Changes;
import io.cqrsworkers.localaws.sqs.store.Message;
import io.cqrsworkers.localaws.sqs.store.MessageAttribute;
import io.cqrsworkers.localaws.sqs.store.MoveTask;
import io.cqrsworkers.localaws.sqs.store.Queue;
import io.cqrsworkers.localaws.sqs.store.Queues;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Queues and their messages in a data directory, as lines of a {@link JsonLinesLog}. Every line states a full queue
 * or message, or removes one, so replaying it twice (over a snapshot that already has it) changes nothing. Receives
 * keep only the receive count: after a restart every message not deleted is visible again.
 */
public final class SqsJournal extends StateJournal implements Changes {

    private final Queues queues;

    private SqsJournal(Queues queues) {
        this.queues = queues;
    }

    /** Restores what {@code dir} holds into {@code queues}, then journals their changes there. */
    public static SqsJournal open(Path dir, Queues queues) throws IOException {
        SqsJournal j = new SqsJournal(queues);
        j.open(dir);
        queues.changes(j);
        queues.moveTasks().resume();
        return j;
    }

    // ---- replay

    @Override
    protected String restored() {
        return queues.all().size() + " queues";
    }

    @Override
    protected void apply(JsonNode e) {
        String op = e.path("op").asText();
        if (op.equals("queue")) {
            queues.restore(e.path("name").asText(), e.path("fifo").asBoolean(), e.path("created").asLong(),
                    e.path("modified").asLong(), strings(e.get("attrs")), strings(e.get("tags")));
            return;
        }
        if (op.equals("task")) {
            restoreTask(e);
            return;
        }
        Queue q = queues.findOrNull(e.path("q").asText());
        if (q == null) {
            return;
        }
        switch (op) {
            case "drop" -> queues.delete(q);
            case "purge" -> q.purge();
            case "send" -> e.path("m").forEach(m -> q.restore(message(m)));
            case "rcv" -> e.path("m").forEach(r -> q.restoreReceive(r.get(0).asText(), r.get(1).asInt(),
                    r.get(2).asLong()));
            case "del" -> e.path("ids").forEach(id -> q.restoreDelete(id.asText()));
            case "move" -> {
                Message m = message(e.get("m"));
                q.restoreDelete(m.id());
                Queue to = queues.findOrNull(e.path("to").asText());
                if (to != null) {
                    to.restore(m);
                }
            }
            case "redrive" -> {
                q.restoreDelete(e.path("id").asText());
                Queue to = queues.findOrNull(e.path("to").asText());
                if (to != null) {
                    to.restore(message(e.get("m")));
                }
                queues.moveTasks().restoreMoved(e.path("task").asText(), e.path("id").asText());
            }
            default -> skipUnknown(op);
        }
    }

    private void restoreTask(JsonNode e) {
        List<String> remaining = null;
        if (e.has("remaining")) {
            remaining = new ArrayList<>();
            for (JsonNode id : e.get("remaining")) {
                remaining.add(id.asText());
            }
        }
        queues.moveTasks().restore(e.path("id").asText(), e.path("src").asText(), text(e, "dst"),
                e.hasNonNull("rate") ? e.get("rate").asInt() : null, e.path("started").asLong(),
                e.path("toMove").asLong(), MoveTask.Status.valueOf(e.path("status").asText()),
                e.path("moved").asLong(), text(e, "failure"), remaining);
    }

    private static Map<String, String> strings(JsonNode map) {
        Map<String, String> out = new LinkedHashMap<>();
        if (map != null) {
            map.fields().forEachRemaining(f -> out.put(f.getKey(), f.getValue().asText()));
        }
        return out;
    }

    private static Message message(JsonNode j) {
        Message m = new Message(j.path("id").asText(), j.path("body").asText(), attributes(j.get("a")),
                attributes(j.get("sa")), j.path("sent").asLong(), j.path("sender").asText(),
                j.path("delay").asLong(), text(j, "g"), text(j, "d"), text(j, "dlq"));
        m.restoreReceives(j.path("rc").asInt(), j.path("first").asLong());
        m.restoreSequenceNumber(j.path("sn").asLong());
        return m;
    }

    private static String text(JsonNode j, String member) {
        return j.hasNonNull(member) ? j.get(member).asText() : null;
    }

    private static SortedMap<String, MessageAttribute> attributes(JsonNode map) {
        if (map == null || map.isEmpty()) {
            return Collections.emptySortedMap();
        }
        SortedMap<String, MessageAttribute> out = new TreeMap<>();
        map.fields().forEachRemaining(f -> {
            JsonNode v = f.getValue();
            out.put(f.getKey(), new MessageAttribute(v.path("t").asText(),
                    v.hasNonNull("s") ? v.get("s").asText() : null,
                    v.hasNonNull("b") ? Base64.getDecoder().decode(v.get("b").asText()) : null));
        });
        return out;
    }

    // ---- writing

    private ObjectNode queueLine(Queue q) {
        ObjectNode e = mapper.createObjectNode();
        e.put("op", "queue").put("name", q.name()).put("fifo", q.fifo()).put("created", q.createdSeconds())
                .put("modified", q.modifiedSeconds());
        ObjectNode attrs = e.putObject("attrs");
        q.settableAttributes().forEach(attrs::put);
        ObjectNode tags = e.putObject("tags");
        q.tags().forEach(tags::put);
        return e;
    }

    private ObjectNode messageJson(Message m) {
        ObjectNode j = mapper.createObjectNode();
        j.put("id", m.id()).put("body", m.body()).put("sent", m.sentMillis()).put("sender", m.senderId());
        if (m.delayedUntil() > 0) {
            j.put("delay", m.delayedUntil());
        }
        if (m.receiveCount() > 0) {
            j.put("rc", m.receiveCount()).put("first", m.firstReceiveMillis());
        }
        if (m.deadLetterSourceArn() != null) {
            j.put("dlq", m.deadLetterSourceArn());
        }
        if (m.groupId() != null) {
            j.put("g", m.groupId());
        }
        if (m.deduplicationId() != null) {
            j.put("d", m.deduplicationId()).put("sn", Long.parseLong(m.sequenceNumber()));
        }
        writeAttributes(j, "a", m.attributes());
        writeAttributes(j, "sa", m.systemAttributes());
        return j;
    }

    private static void writeAttributes(ObjectNode j, String member, Map<String, MessageAttribute> attributes) {
        if (attributes.isEmpty()) {
            return;
        }
        ObjectNode out = j.putObject(member);
        attributes.forEach((name, a) -> {
            ObjectNode v = out.putObject(name).put("t", a.dataType());
            if (a.isBinary()) {
                v.put("b", Base64.getEncoder().encodeToString(a.binaryValue()));
            } else {
                v.put("s", a.stringValue());
            }
        });
    }

    private ObjectNode line(String op, Queue q) {
        return mapper.createObjectNode().put("op", op).put("q", q.name());
    }

    @Override
    public void queueChanged(Queue queue) {
        append(queueLine(queue));
    }

    @Override
    public void queueDeleted(Queue queue) {
        append(line("drop", queue));
    }

    @Override
    public void purged(Queue queue) {
        append(line("purge", queue));
    }

    @Override
    public void sent(Queue queue, List<Message> messages) {
        ObjectNode e = line("send", queue);
        ArrayNode m = e.putArray("m");
        messages.forEach(msg -> m.add(messageJson(msg)));
        append(e);
    }

    @Override
    public void received(Queue queue, List<Message> messages) {
        ObjectNode e = line("rcv", queue);
        ArrayNode m = e.putArray("m");
        messages.forEach(msg -> m.addArray().add(msg.id()).add(msg.receiveCount()).add(msg.firstReceiveMillis()));
        append(e);
    }

    @Override
    public void deleted(Queue queue, List<Message> messages) {
        ObjectNode e = line("del", queue);
        ArrayNode ids = e.putArray("ids");
        messages.forEach(msg -> ids.add(msg.id()));
        append(e);
    }

    @Override
    public void moved(Queue from, Queue to, Message moved) {
        ObjectNode e = line("move", from).put("to", to.name());
        e.set("m", messageJson(moved));
        append(e);
    }

    @Override
    public void redriven(Queue from, String messageId, Queue to, Message moved, String taskId) {
        ObjectNode e = line("redrive", from).put("id", messageId).put("to", to.name()).put("task", taskId);
        e.set("m", messageJson(moved));
        append(e);
    }

    @Override
    public void moveTaskChanged(MoveTask task, boolean started) {
        append(taskLine(task, started));
    }

    private ObjectNode taskLine(MoveTask task, boolean withRemaining) {
        ObjectNode e = mapper.createObjectNode().put("op", "task").put("id", task.id()).put("src", task.sourceArn())
                .put("started", task.startedMillis()).put("toMove", task.toMove())
                .put("status", task.status().name()).put("moved", task.moved());
        if (task.destinationArn() != null) {
            e.put("dst", task.destinationArn());
        }
        if (task.maxPerSecond() != null) {
            e.put("rate", task.maxPerSecond());
        }
        if (task.failureReason() != null) {
            e.put("failure", task.failureReason());
        }
        if (withRemaining) {
            ArrayNode ids = e.putArray("remaining");
            task.remaining().forEach(ids::add);
        }
        return e;
    }

    @Override
    protected void writeState(Consumer<ObjectNode> out) {
        // with the move tasks held: no message is half-way between two queues (taken out of one, not yet journaled
        // into the other) while the queues are written
        queues.moveTasks().locked(() -> {
            queues.moveTasks().forEach(t -> out.accept(taskLine(t, true)));
            writeQueues(out);
        });
    }

    private void writeQueues(Consumer<ObjectNode> out) {
        for (Queue q : queues.all()) {
            // under the queue lock, so the queue line and its messages are one consistent state
            q.locked(() -> {
                out.accept(queueLine(q));
                List<Message> batch = new ArrayList<>();
                q.forEachMessage(m -> {
                    batch.add(m);
                    if (batch.size() == 100) {
                        sentLine(out, q, batch);
                    }
                });
                if (!batch.isEmpty()) {
                    sentLine(out, q, batch);
                }
            });
        }
    }

    private void sentLine(Consumer<ObjectNode> out, Queue q, List<Message> batch) {
        ObjectNode e = line("send", q);
        ArrayNode m = e.putArray("m");
        batch.forEach(msg -> m.add(messageJson(msg)));
        batch.clear();
        out.accept(e);
    }

}
