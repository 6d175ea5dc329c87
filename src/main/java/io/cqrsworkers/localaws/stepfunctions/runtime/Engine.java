package io.cqrsworkers.localaws.stepfunctions.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.Arns;
import io.cqrsworkers.localaws.stepfunctions.Json;
import io.cqrsworkers.localaws.stepfunctions.SfnException;
import io.cqrsworkers.localaws.stepfunctions.integrations.Integrations;
import io.cqrsworkers.localaws.stepfunctions.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The interpreter's home: the registry of machines, executions, activities and map runs, the worker pool that
 * runs states, the timers, the task tokens and the service integrations.
 */
public final class Engine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private final Arns arns;
    private final String region;
    private final Clock clock;
    private final ExecutorService workers;
    private final Timers timers;
    private final TaskTokens tokens = new TaskTokens();
    private final Tasks tasks;
    private final Activities activities;
    private final Integrations integrations;
    private final Store store;
    private final Map<String, StateMachine> machines = new ConcurrentHashMap<>();
    private final Map<String, Execution> executions = new ConcurrentHashMap<>();
    /** Standard executions per machine, newest first (the order ListExecutions returns). */
    private final Map<String, Queue<Execution>> byMachine = new ConcurrentHashMap<>();
    private final Map<String, MapRun> mapRuns = new ConcurrentHashMap<>();

    public Engine(String region, String account, Clock clock, Integrations integrations, Store store, int workerThreads) {
        this.region = region;
        this.arns = new Arns(region, account);
        this.clock = clock;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(workerThreads, r -> {
            Thread t = new Worker(r, "sfn-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.timers = new Timers(clock, workers);
        this.tasks = new Tasks(this);
        this.activities = new Activities(this);
        this.integrations = integrations;
        this.store = store;
        integrations.bind(this);
    }

    public Arns arns() {
        return arns;
    }

    public String region() {
        return region;
    }

    public Clock clock() {
        return clock;
    }

    public Timers timers() {
        return timers;
    }

    public TaskTokens tokens() {
        return tokens;
    }

    public Tasks tasks() {
        return tasks;
    }

    public Activities activities() {
        return activities;
    }

    public Integrations integrations() {
        return integrations;
    }

    void submit(Runnable r) {
        workers.execute(r);
    }

    /** A worker thread, counting how deep it runs states inline. */
    private static final class Worker extends Thread {
        int inlineDepth;

        Worker(Runnable r, String name) {
            super(r, name);
        }
    }

    private static final int MAX_INLINE_DEPTH = 64;

    /** True (and one level deeper) when the caller may run the next state on this thread right away. */
    boolean runInline() {
        if (Thread.currentThread() instanceof Worker w && w.inlineDepth < MAX_INLINE_DEPTH) {
            w.inlineDepth++;
            return true;
        }
        return false;
    }

    void leftInline() {
        ((Worker) Thread.currentThread()).inlineDepth--;
    }

    // ---- state machines

    public void putMachine(StateMachine m) {
        machines.put(m.arn(), m);
        store.saveMachine(m);
    }

    public StateMachine machine(String arn) {
        arns.require(arn, "stateMachine");
        StateMachine m = machines.get(arn);
        if (m == null) {
            throw new SfnException("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
        }
        return m;
    }

    public StateMachine findMachine(String arn) {
        return machines.get(arn);
    }

    public Collection<StateMachine> machines() {
        return machines.values();
    }

    public void deleteMachine(StateMachine m) {
        machines.remove(m.arn());
        store.deleteMachine(m);
    }

    // ---- executions

    public Execution execution(String arn) {
        arns.require(arn, "execution");
        Execution e = executions.get(arn);
        if (e == null) {
            throw new SfnException("ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'");
        }
        return e;
    }

    public Execution findExecution(String arn) {
        return executions.get(arn);
    }

    public List<Execution> executionsOf(String machineArn) {
        Queue<Execution> q = byMachine.get(machineArn);
        return q == null ? List.of() : new ArrayList<>(q);
    }

    /**
     * Starts an execution. A standard execution with the name of an existing one is that one if the input is the
     * same (idempotent start) and ExecutionAlreadyExists otherwise.
     */
    public Execution start(StateMachine m, String arn, String name, String inputText, String mapRunArn) {
        JsonNode input;
        try {
            input = Json.parse(inputText);
        } catch (Exception e) {
            throw new SfnException("InvalidExecutionInput", "Invalid State Machine Execution Input: '" + e.getMessage() + "'");
        }
        if (input == null || inputText.length() > StateRun.MAX_PAYLOAD) {
            throw new SfnException("InvalidExecutionInput", "Invalid State Machine Execution Input: '" + (input == null ? "empty input" : "input is larger than 262144 bytes") + "'");
        }
        Execution e;
        synchronized (executions) {
            Execution existing = executions.get(arn);
            if (existing != null) {
                if (existing.isRunning() && existing.inputText.equals(inputText) && !m.express()) {
                    return existing;
                }
                throw new SfnException("ExecutionAlreadyExists", "Execution Already Exists: '" + arn + "'");
            }
            boolean persistent = !m.express() && mapRunArn == null && store != Store.NONE;
            e = new Execution(arn, name, m, inputText, input, clock.millis(), mapRunArn, persistent ? ev -> store.appendEvent(arn, ev) : null);
            executions.put(arn, e);
        }
        if (!m.express()) {
            byMachine.computeIfAbsent(m.arn(), k -> new ConcurrentLinkedDeque<>());
            ((ConcurrentLinkedDeque<Execution>) byMachine.get(m.arn())).addFirst(e);
            if (mapRunArn == null) {
                store.saveExecution(e);
            }
        }
        ObjectNode d = Json.object();
        d.put("input", inputText);
        d.set("inputDetails", Json.object().put("truncated", false));
        d.put("roleArn", m.roleArn());
        long startedId = e.history.add(e.startMillis, "ExecutionStarted", 0, "executionStartedEventDetails", d);
        armMachineTimeout(e);
        rootFlow(e, Map.of(), startedId).start(input);
        return e;
    }

    Flow rootFlow(Execution e, Map<String, JsonNode> variables, long lastEventId) {
        return new Flow(this, e, e.machine.definition().graph, null, null, variables, lastEventId, o -> finish(e, o));
    }

    private void armMachineTimeout(Execution e) {
        Integer timeout = e.machine.definition().timeoutSeconds;
        if (timeout != null) {
            e.machineTimeout = timers.at(Instant.ofEpochMilli(e.startMillis + timeout * 1000L), () -> timeOut(e));
        }
    }

    // ---- recovery from the store

    public void restoreMachine(StateMachine m) {
        machines.put(m.arn(), m);
    }

    /**
     * Puts back an execution read from the store; {@code end} holds the final status fields of an execution that
     * had ended (its history is read from the store when asked for), and is null for one that was running, which
     * is then resumed from {@code events}.
     */
    public void restoreExecution(StateMachine m, String arn, String name, String inputText, long startMillis,
                                 List<ObjectNode> events, JsonNode end, Map<String, String> parkedTokens) {
        JsonNode input;
        try {
            input = Json.parse(inputText);
        } catch (Exception ex) {
            throw new IllegalStateException("corrupt stored input of " + arn, ex);
        }
        Execution e = new Execution(arn, name, m, inputText, input, startMillis, null, store == Store.NONE ? null : ev -> store.appendEvent(arn, ev));
        events.forEach(e.history::restore);
        executions.put(arn, e);
        byMachine.computeIfAbsent(m.arn(), k -> new ConcurrentLinkedDeque<>());
        ((ConcurrentLinkedDeque<Execution>) byMachine.get(m.arn())).addFirst(e);
        if (end != null) {
            e.end(Execution.Status.valueOf(end.path("status").asText()), end.path("output").asText(null),
                    end.path("error").asText(null), end.path("cause").asText(null), end.path("stopMillis").asLong());
            e.history.release(() -> store.events(arn));
            return;
        }
        armMachineTimeout(e);
        Recovery.resume(this, e, events, parkedTokens);
    }

    Store store() {
        return store;
    }

    private void finish(Execution e, Outcome o) {
        long now = clock.millis();
        ObjectNode d = Json.object();
        if (o.failed()) {
            if (!e.end(Execution.Status.FAILED, null, o.error(), o.cause(), now)) {
                return;
            }
            putErrorCause(d, o.error(), o.cause());
            e.history.add(now, "ExecutionFailed", e.history.size(), "executionFailedEventDetails", d);
        } else {
            String out = Json.write(o.output());
            if (!e.end(Execution.Status.SUCCEEDED, out, null, null, now)) {
                return;
            }
            d.put("output", out);
            d.set("outputDetails", Json.object().put("truncated", false));
            e.history.add(now, "ExecutionSucceeded", e.history.size(), "executionSucceededEventDetails", d);
        }
        ended(e);
    }

    public void stop(Execution e, String error, String cause) {
        long now = clock.millis();
        if (e.end(Execution.Status.ABORTED, null, error, cause, now)) {
            ObjectNode d = Json.object();
            putErrorCause(d, error, cause);
            e.history.add(now, "ExecutionAborted", e.history.size(), "executionAbortedEventDetails", d);
            ended(e);
        }
    }

    private void timeOut(Execution e) {
        long now = clock.millis();
        String cause = "The state machine timed out after " + e.machine.definition().timeoutSeconds + " seconds";
        if (e.end(Execution.Status.TIMED_OUT, null, "States.Timeout", cause, now)) {
            ObjectNode d = Json.object();
            putErrorCause(d, "States.Timeout", cause);
            e.history.add(now, "ExecutionTimedOut", e.history.size(), "executionTimedOutEventDetails", d);
            ended(e);
        }
    }

    static void putErrorCause(ObjectNode d, String error, String cause) {
        if (error != null) {
            d.put("error", error);
        }
        if (cause != null) {
            d.put("cause", cause);
        }
    }

    private void ended(Execution e) {
        if (e.machineTimeout != null) {
            e.machineTimeout.cancel();
        }
        for (TaskAttempt t : e.openTasks) {
            t.abandon();
        }
        if (!e.machine.express() && e.mapRunArn == null) {
            store.saveExecution(e);
            e.history.release(() -> store.events(e.arn));
        }
        e.fireEnded();
        e.releaseParsedInput();
        if (e.machine.express() && e.mapRunArn == null) {
            // AWS keeps no history of express executions: forget them once their caller has the result
            executions.remove(e.arn);
        }
        LOG.debug("execution {} ended {}", e.arn, e.status());
    }

    // ---- retention

    /**
     * Forgets closed executions {@code retention} after they stopped: the execution, its map runs and its stored
     * files. AWS lists a closed execution for 90 days; an embedded engine that kept everything would fill its disk
     * (a command pipeline execution keeps about 55 KB of history). Checked now (after a recovery), then every minute.
     */
    public void retainClosedExecutions(Duration retention) {
        forgetExpired(retention);
    }

    private void forgetExpired(Duration retention) {
        try {
            long cutoff = clock.millis() - retention.toMillis();
            Set<String> forgotten = new HashSet<>();
            for (Queue<Execution> q : byMachine.values()) {
                // newest first: walk from the oldest, up to the first one started after the cutoff
                Iterator<Execution> it = ((ConcurrentLinkedDeque<Execution>) q).descendingIterator();
                while (it.hasNext()) {
                    Execution e = it.next();
                    if (e.startMillis >= cutoff) {
                        break;
                    }
                    if (!e.isRunning() && e.stopMillis() < cutoff && !inRunningMapRun(e)) {
                        it.remove();
                        executions.remove(e.arn);
                        store.forgetExecution(e.arn);
                        forgotten.add(e.arn);
                    }
                }
            }
            if (!forgotten.isEmpty()) {
                mapRuns.values().removeIf(r -> forgotten.contains(r.executionArn));
                LOG.debug("forgot {} executions closed before {}", forgotten.size(), Instant.ofEpochMilli(cutoff));
            }
        } catch (RuntimeException e) {
            LOG.warn("Forgetting expired executions failed; retrying in a minute", e);
        }
        timers.after(Math.min(60_000, Math.max(1_000, retention.toMillis() / 4)), () -> forgetExpired(retention));
    }

    /** A distributed map's child stays as long as the execution that runs the map is running. */
    private boolean inRunningMapRun(Execution child) {
        if (child.mapRunArn == null) {
            return false;
        }
        MapRun run = mapRuns.get(child.mapRunArn);
        Execution parent = run == null ? null : executions.get(run.executionArn);
        return parent != null && parent.isRunning();
    }

    // ---- map runs

    void putMapRun(MapRun r) {
        mapRuns.put(r.arn, r);
    }

    public MapRun mapRun(String arn) {
        arns.require(arn, "mapRun");
        MapRun r = mapRuns.get(arn);
        if (r == null) {
            throw new SfnException("ResourceNotFound", "Resource Not Found: '" + arn + "'");
        }
        return r;
    }

    public List<MapRun> mapRunsOf(String executionArn) {
        return mapRuns.values().stream().filter(r -> r.executionArn.equals(executionArn)).toList();
    }

    @Override
    public void close() {
        timers.close();
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        activities.close();
        integrations.close();
        store.close();
    }
}
