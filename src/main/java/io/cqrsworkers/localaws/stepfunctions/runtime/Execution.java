package io.cqrsworkers.localaws.stepfunctions.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.core.Json;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** One execution: identity, status, result, history, and what must be cleaned up when it ends. */
public final class Execution {
    public enum Status { RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED }

    public final String arn;
    public final String name;
    public final StateMachine machine;
    public final String inputText;
    /** The parsed input, while the execution runs (its text stays in {@link #inputText}). */
    private volatile JsonNode input;
    public final long startMillis;
    public final String mapRunArn;
    public final History history;
    private volatile Status status = Status.RUNNING;
    private volatile String outputText;
    private volatile String error;
    private volatile String cause;
    private volatile long stopMillis;
    private volatile ObjectNode contextExecution;
    private final List<Consumer<Execution>> onEnd = new CopyOnWriteArrayList<>();
    /** Open task attempts, settled with the execution when it stops or times out. */
    final Set<TaskAttempt> openTasks = ConcurrentHashMap.newKeySet();
    Timers.Timer machineTimeout;
    /** The position of a distributed map's child among the children of its map run; -1 for other executions. */
    long childIndex = -1;
    /** The mock configuration's test case it runs ({@code <machine arn>#<case>}), null for none; children inherit it. */
    MockConfig.TestCase mock;
    /** TestState's record of the state under test; null for every other execution. */
    Inspection inspection;
    /** Calls made so far per mocked state (a retry is a call): the index of the next response. */
    final Map<String, AtomicInteger> mockCalls = new ConcurrentHashMap<>();

    Execution(String arn, String name, StateMachine machine, String inputText, JsonNode input, long startMillis,
              String mapRunArn, BiConsumer<Execution, History.Entry> journal) {
        this.arn = arn;
        this.name = name;
        this.machine = machine;
        this.inputText = inputText;
        this.input = input;
        this.startMillis = startMillis;
        this.mapRunArn = mapRunArn;
        this.history = new History(journal == null ? null : entry -> journal.accept(this, entry), expectedEntries(machine));
    }

    /** A run through the top-level states once: an entry and an exit each, the start and the end (at most 256). */
    private static int expectedEntries(StateMachine machine) {
        return Math.min(256, 2 * machine.definition().graph.states.size() + 2);
    }

    private ObjectNode context(JsonNode parsedInput) {
        ObjectNode c = Json.object();
        c.put("Id", arn);
        c.set("Input", parsedInput);
        c.put("Name", name);
        c.put("RoleArn", machine.roleArn());
        c.put("StartTime", Instant.ofEpochMilli(startMillis).toString());
        c.put("RedriveCount", 0);
        return c;
    }

    public JsonNode input() {
        JsonNode parsed = input;
        return parsed != null ? parsed : Json.parseUnchecked(inputText);
    }

    /** An ended execution keeps its input as text only: the parsed tree is many times its size. */
    void releaseParsedInput() {
        input = null;
        contextExecution = null;
    }

    /** The $$.Execution object, built when a state first reads the context (many executions never do). */
    ObjectNode contextExecution() {
        ObjectNode c = contextExecution;
        if (c == null) {
            c = context(input());
            if (isRunning()) {
                contextExecution = c;
            }
        }
        return c;
    }

    public Status status() {
        return status;
    }

    public boolean isRunning() {
        return status == Status.RUNNING;
    }

    public String outputText() {
        return outputText;
    }

    public String error() {
        return error;
    }

    public String cause() {
        return cause;
    }

    public long stopMillis() {
        return stopMillis;
    }

    /** Moves to a final status once; returns false if it had already ended. */
    synchronized boolean end(Status to, String output, String error, String cause, long millis) {
        if (status != Status.RUNNING) {
            return false;
        }
        this.outputText = output;
        this.error = error;
        this.cause = cause;
        this.stopMillis = millis;
        this.status = to;
        return true;
    }

    /** Runs {@code listener} when the execution ends (at once if it already has). */
    public void whenEnded(Consumer<Execution> listener) {
        onEnd.add(listener);
        if (!isRunning() && onEnd.remove(listener)) {
            listener.accept(this);
        }
    }

    void fireEnded() {
        for (Consumer<Execution> l : onEnd) {
            if (onEnd.remove(l)) {
                l.accept(this);
            }
        }
    }
}
