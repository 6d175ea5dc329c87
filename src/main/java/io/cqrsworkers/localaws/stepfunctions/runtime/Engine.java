package io.cqrsworkers.localaws.stepfunctions.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.cqrsworkers.localaws.stepfunctions.core.Arns;
import io.cqrsworkers.localaws.stepfunctions.core.Json;
import io.cqrsworkers.localaws.stepfunctions.core.SfnException;
import io.cqrsworkers.localaws.stepfunctions.integrations.Integrations;
import io.cqrsworkers.localaws.stepfunctions.asl.Definition;
import io.cqrsworkers.localaws.stepfunctions.asl.QueryLanguage;
import io.cqrsworkers.localaws.stepfunctions.data.StatesError;
import io.cqrsworkers.localaws.stepfunctions.store.EngineJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.function.Consumer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
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
    /** Where the engine's state outlives the process; null: in the heap only. */
    private final EngineJournal journal;
    private final Map<String, StateMachine> machines = new ConcurrentHashMap<>();
    private final Map<String, Execution> executions = new ConcurrentHashMap<>();
    /** Standard executions per machine, newest first (the order ListExecutions returns). */
    private final Map<String, Queue<Execution>> byMachine = new ConcurrentHashMap<>();
    private final Map<String, MapRun> mapRuns = new ConcurrentHashMap<>();
    private volatile MockConfig mockConfig;
    private volatile double timeScale = 1.0;
    /** AWS's hard quota on a standard execution's history ("Maximum execution history size: 25,000 events"). */
    public static final int DEFAULT_HISTORY_LIMIT = 25_000;
    private volatile int historyLimit = DEFAULT_HISTORY_LIMIT;

    public Engine(String region, String account, Clock clock, Integrations integrations, EngineJournal journal, int workerThreads) {
        this.region = region;
        this.arns = new Arns(region, account);
        this.clock = clock;
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(workerThreads, workerThreads, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Worker(r, "sfn-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }) {
            @Override
            protected void afterExecute(Runnable r, Throwable t) {
                // what the step wrote to the journal, in one write call for all of its entries
                flushJournal();
            }
        };
        this.timers = new Timers(clock, workers);
        this.tasks = new Tasks(this);
        this.activities = new Activities(this);
        this.integrations = integrations;
        this.journal = journal;
        integrations.add(new StatesIntegration(this));
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

    /** The mock configuration executions started on {@code <machine arn>#<test case>} use; null for none. Set before {@link #recover}. */
    public void mockConfig(MockConfig config) {
        this.mockConfig = config;
    }

    public MockConfig mockConfig() {
        return mockConfig;
    }

    /**
     * Multiplies every delay of a workflow (Wait, Retry intervals, TimeoutSeconds, HeartbeatSeconds, the machine's
     * TimeoutSeconds) by {@code factor}, e.g. 0.01 for local runs; the history keeps the values of the definition.
     * Set before {@link #recover}.
     */
    public void timeScale(double factor) {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("The time scale must be a positive number, not " + factor);
        }
        this.timeScale = factor;
    }

    /**
     * The most events a standard execution's history holds (default 25,000, AWS's hard quota); express executions
     * have none, as on AWS. Set before {@link #recover}.
     */
    public void historyLimit(int events) {
        checkHistoryLimit(events);
        this.historyLimit = events;
    }

    public int historyLimit() {
        return historyLimit;
    }

    public static void checkHistoryLimit(int events) {
        if (events < 2) {
            throw new IllegalArgumentException("The history limit must be at least 2 events (start and end), not " + events);
        }
    }

    /** The limit of {@code e}'s history: none for an express execution (AWS: "Maximum execution history size: Unlimited"). */
    int historyLimitOf(Execution e) {
        return e.machine.express() ? Integer.MAX_VALUE : historyLimit;
    }

    /**
     * The history of {@code e} is full: the event a state wanted to log would have been the last one allowed, and
     * only the execution's success may take that place (Developer Guide, "Avoid reaching the history quota": "If
     * the event number 25,000 isn't ExecutionSucceeded, the ExecutionFailed event is logged and the state machine
     * execution fails"). The execution fails with AWS's error and cause; running branches, tasks and timers stop as
     * on any other end.
     */
    void historyFull(Execution e) {
        long now = clock.millis();
        String cause = "The execution reached the maximum number of history events (" + historyLimitOf(e) + ").";
        if (e.end(Execution.Status.FAILED, null, StatesError.RUNTIME, cause, now)) {
            ObjectNode d = Json.object();
            putErrorCause(d, StatesError.RUNTIME, cause);
            e.history.add(now, "ExecutionFailed", e.history.size(), "executionFailedEventDetails", d);
            ended(e);
        }
    }

    /** A delay of the workflow, in real milliseconds after the time scale; a delay stays at least 1 ms. */
    public long scaled(long millis) {
        if (millis <= 0 || timeScale == 1.0) {
            return millis;
        }
        return Math.max(1, Math.round(millis * timeScale));
    }

    /**
     * Writes the journal entries queued so far. Called after every worker step and before anything leaves the
     * engine (an API answer, a call to a service, an activity task handed out), so a crash never loses an entry
     * whose effect was seen outside.
     */
    public void flushJournal() {
        if (journal != null) {
            journal.flush();
        }
    }

    /** Runs {@code r} on the worker pool; whatever it throws is logged, and the worker lives on. */
    void submit(Runnable r) {
        workers.execute(() -> {
            try {
                r.run();
            } catch (RuntimeException | Error e) {
                LOG.error("A step of the Step Functions engine failed", e);
            }
        });
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
        if (journal != null) {
            journal.machine(machineJson(m, false));
        }
    }

    /** The machine of a distributed map's children: not listed, but kept so its executions resume after a restart. */
    void putChildMachine(StateMachine m) {
        if (journal != null) {
            journal.machine(machineJson(m, true));
        }
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
        if (journal != null) {
            journal.machineDeleted(m.arn());
        }
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
        return start(m, arn, name, inputText, mapRunArn, -1, null, null);
    }

    /** Starts TestState's execution: what its state under test does is recorded in {@code inspection}. */
    public Execution startInspected(StateMachine m, String arn, String name, String inputText, Inspection inspection) {
        return start(m, arn, name, inputText, null, -1, null, inspection);
    }

    /** Starts an execution that answers the Task states {@code mock} names with its mocked responses (null: none). */
    public Execution startTestCase(StateMachine m, String arn, String name, String inputText, MockConfig.TestCase mock) {
        return start(m, arn, name, inputText, null, -1, mock, null);
    }

    /** Starts child {@code index} of a distributed map's run; it runs the test case of the execution of the map. */
    Execution startChild(StateMachine m, String arn, String name, String inputText, String mapRunArn, long index, MockConfig.TestCase mock) {
        return start(m, arn, name, inputText, mapRunArn, index, mock, null);
    }

    private Execution start(StateMachine m, String arn, String name, String inputText, String mapRunArn, long childIndex,
                            MockConfig.TestCase mock, Inspection inspection) {
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
            boolean persistent = journal != null && (!m.express() || mapRunArn != null);
            e = new Execution(arn, name, m, inputText, input, clock.millis(), mapRunArn, persistent ? this::journalEntry : null);
            e.childIndex = childIndex;
            e.mock = mock;
            e.inspection = inspection;
            if (persistent) {
                // durable before it is acknowledged: a start that cannot be written is refused, not lost
                journal.started(startLine(e));
            }
            executions.put(arn, e);
        }
        if (!m.express()) {
            byMachine.computeIfAbsent(m.arn(), k -> new ConcurrentLinkedDeque<>());
            ((ConcurrentLinkedDeque<Execution>) byMachine.get(m.arn())).addFirst(e);
        }
        ObjectNode d = Json.object();
        d.put("input", inputText);
        d.set("inputDetails", Json.NOT_TRUNCATED);
        d.put("roleArn", m.roleArn());
        long startedId = e.history.add(e.startMillis, "ExecutionStarted", 0, "executionStartedEventDetails", d);
        armMachineTimeout(e);
        rootFlow(e, inspection == null ? Map.of() : inspection.variables(), startedId).start(input);
        return e;
    }

    /** Standard executions and the children of map runs outlive a restart; AWS keeps no express execution. */
    private boolean persistent(Execution e) {
        return journal != null && (!e.machine.express() || e.mapRunArn != null);
    }

    private void journalEntry(Execution e, History.Entry entry) {
        journal.entry(entryLine(e, entry));
    }

    private static ObjectNode entryLine(Execution e, History.Entry entry) {
        ObjectNode line = EngineJournal.entryLine(e.arn, entry.seq());
        if (!entry.flow().isEmpty()) {
            line.put("f", entry.flow());
        }
        if (entry.eventText() != null) {
            line.putRawValue("e", new RawValue(entry.eventText()));
        } else if (entry.isEvent()) {
            line.set("e", entry.event());
        } else {
            line.put("k", entry.marker());
        }
        if (entry.data() != null) {
            line.set("r", entry.data());
        }
        return line;
    }

    private static History.Entry entryOf(ObjectNode line) {
        return new History.Entry(line.path("q").asLong(), line.path("f").asText(""), line.has("e") ? Json.write(line.get("e")) : null,
                line.has("k") ? line.get("k").asText() : null, (ObjectNode) line.get("r"));
    }

    private static ObjectNode startLine(Execution e) {
        ObjectNode l = EngineJournal.startLine(e.arn);
        l.put("name", e.name).put("machine", e.machine.arn()).put("revision", e.machine.revisionId())
                .put("input", e.inputText).put("start", e.startMillis);
        if (e.mapRunArn != null) {
            l.put("mapRun", e.mapRunArn).put("index", e.childIndex);
        }
        if (e.mock != null) {
            l.put("mockMachine", e.mock.machine).put("mockCase", e.mock.name);
        }
        return l;
    }

    private static ObjectNode endLine(Execution e) {
        return EngineJournal.endLine(e.arn).put("status", e.status().name()).put("output", e.outputText())
                .put("error", e.error()).put("cause", e.cause()).put("stop", e.stopMillis());
    }

    private static ObjectNode machineJson(StateMachine m, boolean retired) {
        ObjectNode j = Json.object().put("arn", m.arn()).put("name", m.name()).put("type", m.type())
                .put("definition", m.definitionText()).put("roleArn", m.roleArn())
                .put("creationMillis", m.creationMillis()).put("updateMillis", m.updateMillis()).put("revisionId", m.revisionId());
        if (retired) {
            // an older revision or a map run's machine: it resolves executions, it is not listed
            j.put("retired", true);
        }
        if (m.definition().processorLanguage != null) {
            j.put("processorLanguage", m.definition().processorLanguage.name());
        }
        return j;
    }

    private static StateMachine machineOf(JsonNode j) {
        String definition = j.path("definition").asText();
        return new StateMachine(j.path("arn").asText(), j.path("name").asText(), j.path("type").asText(), definition,
                j.has("processorLanguage") ? Definition.parseProcessor(definition, QueryLanguage.valueOf(j.path("processorLanguage").asText()))
                        : Definition.parse(definition), j.path("roleArn").asText(null), j.path("creationMillis").asLong(),
                j.path("updateMillis").asLong(), j.path("revisionId").asText());
    }

    Flow rootFlow(Execution e, Map<String, JsonNode> variables, long lastEventId) {
        return new Flow(this, e, "", e.machine.definition().graph, null, null, variables, lastEventId, o -> finish(e, o));
    }

    private void armMachineTimeout(Execution e) {
        Integer timeout = e.machine.definition().timeoutSeconds;
        if (timeout != null) {
            e.machineTimeout = timers.at(Instant.ofEpochMilli(e.startMillis + scaled(timeout * 1000L)), () -> timeOut(e));
        }
    }

    // ---- recovery from the journal

    /**
     * Rebuilds machines, executions and map runs from the journal, then resumes every running execution where it
     * was (on the worker pool, so the API is up while they go on). Returns what was found, for the start-up log.
     */
    public String recover() {
        if (journal == null) {
            return "in memory: nothing to recover";
        }
        long t0 = System.nanoTime();
        EngineJournal.Recovered r = journal.takeRecovered();
        Map<String, StateMachine> revisions = new HashMap<>();
        r.revisions.forEach((key, json) -> revisions.put(key, machineOf(json)));
        r.machines.values().forEach(key -> {
            StateMachine m = revisions.get(key);
            machines.put(m.arn(), m);
        });
        r.mapRuns.values().forEach(j -> {
            MapRun run = new MapRun(j.path("arn").asText(), j.path("execution").asText(), j.path("machine").asText(),
                    j.path("start").asLong(), j.path("max").asInt(), j.path("toleratedPercentage").asDouble(),
                    j.path("toleratedCount").asLong());
            if (j.has("status")) {
                run.end(j.path("status").asText(), j.path("stop").asLong());
            }
            mapRuns.put(run.arn, run);
        });
        List<EngineJournal.ExecutionLines> lines = new ArrayList<>(r.executions.values());
        lines.sort(Comparator.comparingLong(x -> x.start.path("start").asLong()));
        List<Execution> running = new ArrayList<>();
        for (EngineJournal.ExecutionLines x : lines) {
            ObjectNode s = x.start;
            StateMachine m = revisions.get(EngineJournal.machineKey(s.path("machine").asText(), s.path("revision").asText()));
            if (m == null) {
                LOG.warn("Dropping execution {}: its state machine is not in the journal", s.path("x").asText());
                continue;
            }
            String inputText = s.path("input").asText();
            Execution e = new Execution(s.path("x").asText(), s.path("name").asText(), m, inputText,
                    x.end == null ? Json.parseUnchecked(inputText) : null, s.path("start").asLong(),
                    s.path("mapRun").asText(null), this::journalEntry);
            e.childIndex = s.path("index").asLong(-1);
            if (s.has("mockCase") && x.end == null) {
                e.mock = mockConfig == null ? null : mockConfig.testCase(s.path("mockMachine").asText(), s.path("mockCase").asText());
                if (e.mock == null) {
                    LOG.warn("Execution {} ran test case {} of {}, which the mock configuration no longer has: it goes on unmocked",
                            e.arn, s.path("mockCase").asText(), s.path("mockMachine").asText());
                }
            }
            executions.put(e.arn, e);
            if (!m.express()) {
                byMachine.computeIfAbsent(m.arn(), k -> new ConcurrentLinkedDeque<>());
                ((ConcurrentLinkedDeque<Execution>) byMachine.get(m.arn())).addFirst(e);
            }
            MapRun run = e.mapRunArn == null ? null : mapRuns.get(e.mapRunArn);
            if (run != null) {
                run.addChild(e);
            }
            if (x.end != null) {
                ObjectNode end = x.end;
                e.end(Execution.Status.valueOf(end.path("status").asText()), end.path("output").asText(null),
                        end.path("error").asText(null), end.path("cause").asText(null), end.path("stop").asLong());
                e.history.release(() -> journal.history(e.arn));
                e.releaseParsedInput();
            } else {
                x.entries.forEach(line -> e.history.restore(entryOf(line)));
                Tasks.restoreMockCalls(e);
                running.add(e);
            }
        }
        // resumed before the API answers: a callback for a parked task must find its token registered
        CountDownLatch resumed = new CountDownLatch(running.size());
        for (Execution e : running) {
            armMachineTimeout(e);
            submit(() -> {
                try {
                    Recovery.resume(this, e);
                } finally {
                    resumed.countDown();
                }
            });
        }
        try {
            resumed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return String.format("recovered %d executions (%d running, resumed), %d state machines and %d map runs from %d journal lines in %d ms",
                executions.size(), running.size(), machines.size(), mapRuns.size(), r.lines, (System.nanoTime() - t0) / 1_000_000);
    }

    /** An execution whose end event was logged but not its end line: it ends as the event says. */
    void endFromEvent(Execution e, ObjectNode event) {
        String type = event.path("type").asText();
        Execution.Status status = switch (type) {
            case "ExecutionSucceeded" -> Execution.Status.SUCCEEDED;
            case "ExecutionTimedOut" -> Execution.Status.TIMED_OUT;
            case "ExecutionAborted" -> Execution.Status.ABORTED;
            default -> Execution.Status.FAILED;
        };
        JsonNode d = event.path(Character.toLowerCase(type.charAt(0)) + type.substring(1) + "EventDetails");
        if (e.end(status, d.path("output").asText(null), d.path("error").asText(null), d.path("cause").asText(null),
                (long) (event.path("timestamp").asDouble() * 1000))) {
            ended(e);
        }
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
        // AWS keeps no history of express executions: one outside a map run is forgotten below, not compacted first
        boolean forgotten = e.machine.express() && e.mapRunArn == null;
        if (!persistent(e)) {
            if (!forgotten) {
                e.history.close();
            }
        } else if (journal.ended(endLine(e), e.history.eventTexts())) {
            e.history.release(() -> journal.history(e.arn));
        }
        e.fireEnded();
        e.releaseParsedInput();
        if (forgotten) {
            // forget them once their caller has the result
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
                        if (persistent(e)) {
                            journal.forget(e.arn);
                        }
                        forgotten.add(e.arn);
                    }
                }
            }
            if (!forgotten.isEmpty()) {
                mapRuns.values().removeIf(r -> {
                    if (!forgotten.contains(r.executionArn)) {
                        return false;
                    }
                    for (Execution child : r.executions()) {
                        // express children are listed nowhere else: they go with their run
                        if (child.machine.express() && executions.remove(child.arn) != null && persistent(child)) {
                            journal.forget(child.arn);
                        }
                    }
                    if (journal != null) {
                        journal.mapRunForgotten(r.arn);
                    }
                    return true;
                });
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
        if (journal != null) {
            journal.mapRun(mapRunLine(r));
        }
    }

    void endMapRun(MapRun r, String status) {
        r.end(status, clock.millis());
        if (journal != null) {
            journal.mapRunEnded(r.arn, status, r.stopMillis());
        }
    }

    MapRun findMapRun(String arn) {
        return mapRuns.get(arn);
    }

    private static ObjectNode mapRunLine(MapRun r) {
        ObjectNode l = EngineJournal.mapRunLine(r.arn).put("execution", r.executionArn).put("machine", r.stateMachineArn)
                .put("start", r.startMillis).put("max", r.maxConcurrency).put("toleratedPercentage", r.toleratedFailurePercentage)
                .put("toleratedCount", r.toleratedFailureCount);
        if (!"RUNNING".equals(r.status())) {
            l.put("status", r.status()).put("stop", r.stopMillis());
        }
        return l;
    }

    // ---- snapshots

    /** Checks every {@code period} whether the journal is worth a snapshot, and writes one then. */
    public void compactEvery(Duration period) {
        if (journal == null) {
            return;
        }
        timers.after(period.toMillis(), () -> {
            if (journal.worthCompacting()) {
                try {
                    long t0 = System.nanoTime();
                    journal.compact(this::writeState);
                    LOG.info("Step Functions journal snapshot written in {} ms", (System.nanoTime() - t0) / 1_000_000);
                } catch (Exception e) {
                    LOG.warn("Step Functions journal snapshot failed; the journal goes on growing", e);
                }
            }
            compactEvery(period);
        });
    }

    /** Every line needed to rebuild the engine as it is now. */
    private void writeState(Consumer<ObjectNode> out) {
        Set<String> written = new HashSet<>();
        for (StateMachine m : machines.values()) {
            out.accept(EngineJournal.machineLine(machineJson(m, false)));
            written.add(EngineJournal.machineKey(m.arn(), m.revisionId()));
        }
        for (Execution e : executions.values()) {
            if (persistent(e) && written.add(EngineJournal.machineKey(e.machine.arn(), e.machine.revisionId()))) {
                out.accept(EngineJournal.machineLine(machineJson(e.machine, true)));
            }
        }
        mapRuns.values().forEach(r -> out.accept(mapRunLine(r)));
        for (Execution e : executions.values()) {
            if (!persistent(e)) {
                continue;
            }
            out.accept(startLine(e));
            if (e.isRunning()) {
                e.history.entries().forEach(entry -> out.accept(entryLine(e, entry)));
            } else {
                out.accept(endLine(e));
            }
        }
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
        if (journal != null) {
            journal.close();
        }
    }
}
