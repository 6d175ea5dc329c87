package io.cqrsworkers.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What happened to each state of an execution, read from its event history the way the AWS console colours its
 * graph. Every event belongs to the state entry it follows ({@code previousEventId} chains back to a
 * {@code *StateEntered}); an entry is then
 * <ul>
 *   <li>SUCCEEDED: exited after its work succeeded (retries included),</li>
 *   <li>CAUGHT: exited after a failure, i.e. a Catch took it elsewhere,</li>
 *   <li>FAILED: failed and never exited (or a Fail state),</li>
 *   <li>WAITING: a {@code .waitForTaskToken} task submitted and not answered yet,</li>
 *   <li>RUNNING: entered, still going (a Wait, a Map's iterations, a retry's back-off),</li>
 *   <li>ABORTED: still open when the execution ended without failing there (a sibling branch failed, a stop).</li>
 * </ul>
 * A state entered several times (a loop, a Map's iterations) shows the most telling of its entries, in the order
 * FAILED, WAITING, RUNNING, CAUGHT, ABORTED, SUCCEEDED, with the count of each. State names are unique in a state
 * machine, nested ones included, so the name is the key.
 */
final class ExecutionStates {

    static final List<String> PRIORITY = List.of("FAILED", "WAITING", "RUNNING", "CAUGHT", "ABORTED", "SUCCEEDED");
    /** Entries kept per state for the detail panel (a Map may enter its inner states thousands of times). */
    static final int ENTRIES_KEPT = 20;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ExecutionStates() {
    }

    private static final class Entry {
        final String state;
        final long enteredEventId;
        final long enteredAt;
        JsonNode input;
        JsonNode output;
        String error;
        String cause;
        long exitedAt = -1;
        int attempts;
        boolean failed;
        boolean waiting;
        boolean done;

        Entry(String state, long enteredEventId, long enteredAt) {
            this.state = state;
            this.enteredEventId = enteredEventId;
            this.enteredAt = enteredAt;
        }

        String status(String executionStatus, JsonNode definition) {
            if (done) {
                return failed ? "CAUGHT" : "SUCCEEDED";
            }
            if ("Fail".equals(definition.path("Type").asText())) {
                return "FAILED";
            }
            boolean executionRunning = "RUNNING".equals(executionStatus);
            if (failed) {
                // between a failure and its retry the entry is still going
                return executionRunning && definition.has("Retry") ? "RUNNING" : "FAILED";
            }
            if (!executionRunning) {
                return "ABORTED";
            }
            return waiting ? "WAITING" : "RUNNING";
        }
    }

    /**
     * The states of {@code definition} with what happened to each; adds the owning state's name to each event of
     * {@code events} as {@code "state"}.
     */
    static ObjectNode derive(JsonNode definition, ArrayNode events, String executionStatus) {
        Map<String, JsonNode> definitions = new LinkedHashMap<>();
        collect(definition, definitions);
        Map<Long, Entry> ownerOf = new HashMap<>();
        Map<String, List<Entry>> entries = new LinkedHashMap<>();
        for (JsonNode node : events) {
            ObjectNode event = (ObjectNode) node;
            long id = event.path("id").asLong();
            String type = event.path("type").asText();
            JsonNode details = details(event);
            Entry entry;
            if (type.endsWith("StateEntered")) {
                entry = new Entry(details.path("name").asText(), id, event.path("timestamp").asLong());
                entry.input = parsed(details.path("input"));
                entries.computeIfAbsent(entry.state, k -> new ArrayList<>()).add(entry);
                if (type.equals("FailStateEntered")) {
                    JsonNode fail = definitions.getOrDefault(entry.state, NODES.objectNode());
                    entry.error = fail.path("Error").asText(null);
                    entry.cause = fail.path("Cause").asText(null);
                }
            } else {
                entry = ownerOf.get(event.path("previousEventId").asLong());
                if (entry != null) {
                    apply(entry, type, details, event.path("timestamp").asLong());
                }
            }
            if (entry != null) {
                ownerOf.put(id, entry);
                event.put("state", entry.state);
            }
        }
        ObjectNode states = NODES.objectNode();
        definitions.forEach((name, stateDefinition) -> {
            ObjectNode state = states.putObject(name);
            state.put("type", stateDefinition.path("Type").asText());
            List<Entry> list = entries.getOrDefault(name, List.of());
            if (list.isEmpty()) {
                state.put("status", "NOT_REACHED").put("entered", 0);
                return;
            }
            Map<String, Integer> counts = new LinkedHashMap<>();
            int retries = 0;
            for (Entry entry : list) {
                counts.merge(entry.status(executionStatus, stateDefinition), 1, Integer::sum);
                retries += Math.max(0, entry.attempts - 1);
            }
            String status = PRIORITY.stream().filter(counts::containsKey).findFirst().orElse("SUCCEEDED");
            state.put("status", status).put("entered", list.size()).put("retries", retries);
            ObjectNode countNode = state.putObject("counts");
            counts.forEach(countNode::put);
            ArrayNode kept = state.putArray("entries");
            // the entries that explain the colour first, then the latest
            List<Entry> shown = new ArrayList<>();
            for (Entry entry : list) {
                if (entry.status(executionStatus, stateDefinition).equals(status) && shown.size() < ENTRIES_KEPT / 2) {
                    shown.add(entry);
                }
            }
            for (int i = list.size() - 1; i >= 0 && shown.size() < ENTRIES_KEPT; i--) {
                if (!shown.contains(list.get(i))) {
                    shown.add(list.get(i));
                }
            }
            shown.sort((a, b) -> Long.compare(a.enteredEventId, b.enteredEventId));
            for (Entry entry : shown) {
                ObjectNode e = kept.addObject().put("enteredEventId", entry.enteredEventId)
                        .put("status", entry.status(executionStatus, stateDefinition))
                        .put("enteredAt", entry.enteredAt).put("retries", Math.max(0, entry.attempts - 1));
                if (entry.exitedAt >= 0) {
                    e.put("exitedAt", entry.exitedAt);
                }
                e.set("input", entry.input);
                e.set("output", entry.output);
                e.put("error", entry.error).put("cause", entry.cause);
            }
        });
        return states;
    }

    private static void apply(Entry entry, String type, JsonNode details, long timestamp) {
        if (type.endsWith("StateExited")) {
            entry.done = true;
            entry.waiting = false;
            entry.exitedAt = timestamp;
            entry.output = parsed(details.path("output"));
        } else if (type.equals("TaskScheduled") || type.equals("ActivityScheduled")
                || type.equals("LambdaFunctionScheduled")) {
            entry.attempts++;
            entry.failed = false;
        } else if (type.equals("TaskSubmitted")) {
            entry.waiting = details.path("resource").asText().endsWith(".waitForTaskToken");
        } else if (type.endsWith("Succeeded") && !type.startsWith("Execution") && !type.startsWith("MapIteration")) {
            entry.failed = false;
            entry.waiting = false;
        } else if (isFailure(type) || (!entry.done && (type.equals("ExecutionFailed")
                || type.equals("ExecutionTimedOut")))) {
            // the execution ending in this state (e.g. its output did not fit the ResultPath) is its failure too
            entry.failed = true;
            entry.waiting = false;
            entry.error = details.path("error").asText(entry.error);
            entry.cause = details.path("cause").asText(entry.cause);
        }
    }

    /** A failure of the state's own work; a failed Map iteration or a failed execution is told by its state's events. */
    private static boolean isFailure(String type) {
        return (type.endsWith("Failed") || type.endsWith("TimedOut"))
                && !type.startsWith("Execution") && !type.startsWith("MapIteration") && !type.startsWith("MapRun");
    }

    /** The event's one {@code ...EventDetails} member, or an empty object. */
    private static JsonNode details(JsonNode event) {
        for (Iterator<Map.Entry<String, JsonNode>> it = event.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().endsWith("EventDetails")) {
                return field.getValue();
            }
        }
        return NODES.objectNode();
    }

    /** Inputs and outputs are JSON text in the history; shown as JSON when they parse. */
    private static JsonNode parsed(JsonNode text) {
        if (text == null || text.isMissingNode() || text.isNull()) {
            return null;
        }
        try {
            return io.cqrsworkers.json.Jackson.MAPPER.readTree(text.asText());
        } catch (Exception e) {
            return text;
        }
    }

    /** Every state of the definition, nested Parallel branches and Map processors included. */
    static void collect(JsonNode machine, Map<String, JsonNode> into) {
        for (Iterator<Map.Entry<String, JsonNode>> it = machine.path("States").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> state = it.next();
            into.put(state.getKey(), state.getValue());
            for (JsonNode branch : state.getValue().path("Branches")) {
                collect(branch, into);
            }
            collect(state.getValue().path("ItemProcessor"), into);
            collect(state.getValue().path("Iterator"), into);
        }
    }
}
