package io.cqrsworkers.localaws.stepfunctions.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.core.Json;
import io.cqrsworkers.localaws.stepfunctions.asl.Catcher;
import io.cqrsworkers.localaws.stepfunctions.asl.ErrorNames;
import io.cqrsworkers.localaws.stepfunctions.asl.MapState;
import io.cqrsworkers.localaws.stepfunctions.asl.ParallelState;
import io.cqrsworkers.localaws.stepfunctions.asl.QueryLanguage;
import io.cqrsworkers.localaws.stepfunctions.asl.Retrier;
import io.cqrsworkers.localaws.stepfunctions.asl.State;
import io.cqrsworkers.localaws.stepfunctions.asl.StateContext;
import io.cqrsworkers.localaws.stepfunctions.asl.TaskState;
import io.cqrsworkers.localaws.stepfunctions.data.ChoiceRules;
import io.cqrsworkers.localaws.stepfunctions.data.EvalScope;
import io.cqrsworkers.localaws.stepfunctions.data.JsonPaths;
import io.cqrsworkers.localaws.stepfunctions.data.Jsonata;
import io.cqrsworkers.localaws.stepfunctions.data.PayloadTemplates;
import io.cqrsworkers.localaws.stepfunctions.data.StatesError;

import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One entry of a flow into a state: the state's raw input, its context object, and the common machinery every
 * state type ends with (output processing, Assign, Retry, Catch, transition).
 */
public final class StateRun implements StateContext {
    /** AWS's payload limit for state input/output, in characters of JSON text. */
    static final int MAX_PAYLOAD = 256 * 1024;

    final Flow flow;
    public final State state;
    private final JsonNode input;
    private final long enteredMillis;
    private final int[] retriesUsed;
    /** The id of this state's StateEntered event: AWS names it in the cause of a runtime error. */
    private long enteredEventId;
    private int retryCount;
    private JsonNode effectiveInput;
    private String taskToken;
    /** The token of the attempt that was under way when the engine stopped; the attempt made again reuses it. */
    private String resumedToken;
    /** What the attempt under way when the engine stopped had logged, while the state resumes itself. */
    private Resumption resumption;

    StateRun(Flow flow, State state, JsonNode input) {
        this(flow, state, input, flow.engine.clock().millis());
    }

    /** A run entered at {@code enteredMillis}: a state resumed from the history after a restart. */
    StateRun(Flow flow, State state, JsonNode input, long enteredMillis) {
        this.flow = flow;
        this.state = state;
        this.input = input;
        this.enteredMillis = enteredMillis;
        this.retriesUsed = new int[state.retriers.size()];
    }

    void begin() {
        enteredEventId = flow.event(state.enteredEvent, "stateEnteredEventDetails", new History.Payload(state.name, "input", input), null);
        inspect("input", input);
        attempt();
    }

    /** After a restart: the id of the StateEntered event this run began with. */
    void enteredAt(long eventId) {
        this.enteredEventId = eventId;
    }

    /**
     * The cause AWS gives an error the interpreter raised while it evaluated this state: States.Runtime and
     * States.QueryEvaluationError start with "An error occurred while executing the state 'X' (entered at the
     * event id #N). " (recorded AWS histories: LocalStack's snapshot tests, e.g. test_invalid_jsonpath, test_wait).
     */
    String causeOf(String error, String cause) {
        if (!StatesError.RUNTIME.equals(error) && !StatesError.QUERY_EVALUATION_ERROR.equals(error)) {
            return cause;
        }
        return "An error occurred while executing the state '" + state.name + "' (entered at the event id #"
                + enteredEventId + "). " + (cause == null ? "" : cause);
    }

    /** The state itself failed with a runtime error: fails it with AWS's cause (see {@link #causeOf}). */
    @Override
    public void failRuntime(String error, String cause) {
        fail(error, evaluationFailed(error, cause));
    }

    private static final java.util.regex.Pattern FIELD = java.util.regex.Pattern.compile("specified for the field '([^']+)'");

    /**
     * The cause of a runtime error of this state (see {@link #causeOf}); a States.QueryEvaluationError is first
     * logged as AWS logs it, in an EvaluationFailed event naming the state and the field ("location") that failed
     * (recorded AWS histories: LocalStack's test_undefined_reference, test_map_state_items_eval_jsonata_fail).
     */
    public String evaluationFailed(String error, String cause) {
        String full = causeOf(error, cause);
        if (StatesError.QUERY_EVALUATION_ERROR.equals(error) && !flow.cancelled()) {
            ObjectNode d = Json.object();
            d.put("error", error);
            d.put("cause", full);
            java.util.regex.Matcher m = cause == null ? null : FIELD.matcher(cause);
            if (m != null && m.find()) {
                d.put("location", m.group(1));
            }
            d.put("state", state.name);
            flow.event("EvaluationFailed", "evaluationFailedEventDetails", d);
        }
        return full;
    }

    /** Runs (or, after a restart, re-runs) the state's behaviour. */
    void attempt() {
        effectiveInput = null;
        // every attempt gets its own token, so a late callback cannot settle a retry; an attempt made again after
        // a restart keeps its token, so the callback of the message it may already have sent still counts
        taskToken = resumedToken;
        resumedToken = null;
        try {
            state.execute(this);
        } catch (StatesError e) {
            failRuntime(e.error(), e.cause());
        } catch (RuntimeException e) {
            failRuntime(StatesError.RUNTIME, String.valueOf(e.getMessage()));
        }
    }

    public Engine runtime() {
        return flow.engine;
    }

    /** After a restart: the state goes on with the attempt {@code r} describes (see {@link State#resume}). */
    void resume(Resumption r) {
        resumption = r;
        try {
            state.resume(this);
        } finally {
            // the replayed log is read while the state resumes; kept, it would hold every parsed event of the
            // execution for as long as the state then waits
            resumption = null;
        }
    }

    @Override
    public void runTask(TaskState task) {
        flow.engine.tasks().run(task, this);
    }

    @Override
    public void runMap(MapState map) {
        if (map.distributed) {
            new DistributedMapRun(map, this).start();
        } else {
            new InlineMapRun(map, this).start();
        }
    }

    @Override
    public void runParallel(ParallelState parallel) {
        new ParallelRun(parallel, this).start();
    }

    @Override
    public void restart() {
        attempt();
    }

    @Override
    public void resumeMap(MapState map) {
        if (map.distributed) {
            new DistributedMapRun(map, this).resume(resumption);
        } else {
            new InlineMapRun(map, this).resume(resumption);
        }
    }

    @Override
    public void resumeParallel(ParallelState parallel) {
        new ParallelRun(parallel, this).resume(resumption);
    }

    @Override
    public JsonNode input() {
        return input;
    }

    public QueryLanguage language() {
        return state.language;
    }

    public Instant now() {
        return flow.engine.clock().instant();
    }

    /** When the flow entered this state (Wait counts its Seconds from here, also across a restart). */
    @Override
    public Instant enteredTime() {
        return Instant.ofEpochMilli(enteredMillis);
    }

    public Execution execution() {
        return flow.execution;
    }

    public Flow flow() {
        return flow;
    }

    public int retryCount() {
        return retryCount;
    }

    /** The task token of this attempt, created on first use; it shows in $$.Task.Token. */
    public String taskToken() {
        if (taskToken == null) {
            taskToken = flow.engine.tokens().newToken();
        }
        return taskToken;
    }

    /** Reuses the token of a task that was parked when the engine stopped. */
    void restoreTaskToken(String token) {
        this.taskToken = token;
    }

    /** The next attempt (made again after a restart) reuses {@code token}. */
    void reuseToken(String token) {
        this.resumedToken = token;
    }

    /** After a restart: retrier {@code index} had been used once more before the engine stopped. */
    void retried(int index) {
        if (index >= 0 && index < retriesUsed.length) {
            retriesUsed[index]++;
        }
        retryCount++;
    }

    /** After a restart: the retry scheduled for {@code dueMillis} runs then (at once if that has passed). */
    void retryAt(long dueMillis) {
        flow.engine.timers().at(Instant.ofEpochMilli(dueMillis), () -> {
            if (!flow.cancelled()) {
                attempt();
            }
        });
    }

    /** The input after InputPath (JSONPath); the raw input in JSONata. */
    @Override
    public JsonNode effectiveInput() {
        if (effectiveInput == null) {
            if (state.language == QueryLanguage.JSONATA || "$".equals(state.inputPath)) {
                effectiveInput = input;
            } else if (state.inputPath == null) {
                effectiveInput = Json.object();
            } else {
                effectiveInput = JsonPaths.read(state.inputPath, scope(input));
            }
            if (state.language == QueryLanguage.JSONPATH) {
                inspect("afterInputPath", effectiveInput);
            }
        }
        return effectiveInput;
    }

    /** The $$ context object as this state sees it. */
    public ObjectNode context() {
        ObjectNode c = Json.object();
        c.set("Execution", flow.execution.contextExecution());
        // AWS: Name and EnteredTime, in that order; RetryCount only in states that can retry (recorded AWS
        // outputs: LocalStack's test_query_context_object_values for a Pass, lambda_invoke_with_retry for a Task)
        ObjectNode s = c.putObject("State");
        s.put("Name", state.name);
        s.put("EnteredTime", Instant.ofEpochMilli(enteredMillis).toString());
        if (state.canRetry()) {
            s.put("RetryCount", retryCount);
        }
        ObjectNode m = c.putObject("StateMachine");
        m.put("Id", flow.execution.machine.arn());
        m.put("Name", flow.execution.machine.name());
        if (taskToken != null) {
            c.putObject("Task").put("Token", taskToken);
        }
        if (flow.mapItem != null) {
            c.putObject("Map").set("Item", flow.mapItem);
        }
        return c;
    }

    @Override
    public EvalScope scope(JsonNode over) {
        return new EvalScope(over, context(), flow.variables);
    }

    /** The $states object of JSONata expressions. */
    ObjectNode states(JsonNode result, JsonNode errorOutput) {
        return EvalScope.jsonataStates(input, result, errorOutput, context());
    }

    /** Applies a payload template (Parameters, ItemSelector, Arguments) in this state's language. */
    @Override
    public JsonNode payload(JsonNode template, JsonNode over) {
        boolean jsonata = state.language == QueryLanguage.JSONATA;
        JsonNode p = jsonata ? Jsonata.applyTemplate(template, states(null, null), flow.variables, "Arguments")
                : PayloadTemplates.apply(template, scope(over));
        inspect(jsonata ? "afterArguments" : "afterParameters", p);
        return p;
    }

    /** Records a step of this state's data processing when TestState inspects it. */
    private void inspect(String field, JsonNode value) {
        Inspection i = flow.execution.inspection;
        if (i != null && i.watches(this)) {
            i.put(field, value);
        }
    }

    /** ItemSelector of a Map: like {@link #payload} with $$.Map.Item set to {@code item}. */
    public JsonNode payloadForItem(JsonNode template, JsonNode over, ObjectNode item) {
        ObjectNode ctx = context();
        ctx.putObject("Map").set("Item", item);
        return state.language == QueryLanguage.JSONATA
                ? Jsonata.applyTemplate(template, EvalScope.jsonataStates(input, null, null, ctx), flow.variables, "ItemSelector")
                : PayloadTemplates.apply(template, new EvalScope(over, ctx, flow.variables));
    }

    /** A field value that may be a JSONata expression. */
    @Override
    public JsonNode value(JsonNode field, JsonNode over) {
        return state.language == QueryLanguage.JSONATA && Jsonata.isExpression(field)
                ? Jsonata.applyTemplate(field, states(null, null), flow.variables) : field;
    }

    public JsonNode path(String path, JsonNode over) {
        return JsonPaths.read(path, scope(over));
    }

    /** A field given as a JSONPath or an intrinsic function (ErrorPath, CausePath). */
    @Override
    public JsonNode resolve(String field, String pathOrIntrinsic, JsonNode over) {
        return PayloadTemplates.resolve(field, pathOrIntrinsic, scope(over));
    }

    /** Evaluates one Choice rule against the (effective) input. */
    @Override
    public boolean matches(JsonNode rule, JsonNode over) {
        if (state.language == QueryLanguage.JSONPATH) {
            return ChoiceRules.matches(rule, scope(over));
        }
        return ChoiceRules.matchesJsonata(rule, states(null, null), flow.variables, "Condition");
    }

    /**
     * Parks this flow until {@code when}, then runs {@code then} on the worker pool. The wait counts from when the
     * state was entered, shortened by the engine's time scale (a past {@code when} goes on at once).
     */
    @Override
    public void sleepUntil(Instant when, Runnable then) {
        long delay = when.toEpochMilli() - enteredMillis;
        Instant at = delay <= 0 ? when : Instant.ofEpochMilli(enteredMillis + flow.engine.scaled(delay));
        flow.engine.timers().at(at, () -> {
            if (!flow.cancelled()) {
                guarded(then);
            }
        });
    }

    /** Runs a continuation of this state, turning States errors into failures of the state. */
    public void guarded(Runnable r) {
        try {
            r.run();
        } catch (StatesError e) {
            failRuntime(e.error(), e.cause());
        } catch (RuntimeException e) {
            failRuntime(StatesError.RUNTIME, String.valueOf(e.getMessage()));
        }
    }

    public long event(String type, String detailsKey, ObjectNode details) {
        return flow.event(type, detailsKey, details);
    }

    long eventOf(String type, String detailsKey, History.Details details) {
        return flow.event(type, detailsKey, details, null);
    }

    long event(String type, String detailsKey, ObjectNode details, ObjectNode resume) {
        return flow.event(type, detailsKey, details, resume);
    }

    /** The state produced {@code result}: process it into the output and move on. */
    @Override
    public void succeed(JsonNode result) {
        finish(result, state.next, state.assign, state.output);
    }

    /** A Choice picked {@code next}; a matching rule's Assign/Output replace the state's. */
    @Override
    public void choose(String next, JsonNode in, JsonNode ruleAssign, JsonNode ruleOutput) {
        finish(in, next, ruleAssign != null ? ruleAssign : state.assign, ruleOutput != null ? ruleOutput : state.output);
    }

    private void finish(JsonNode result, String next, JsonNode assign, JsonNode outputTemplate) {
        if (flow.cancelled()) {
            return;
        }
        JsonNode out;
        Map<String, JsonNode> assigned = null;
        try {
            if (state.language == QueryLanguage.JSONATA) {
                ObjectNode states = states(result, null);
                if (state.producesResult()) {
                    inspect("result", result);
                }
                out = outputTemplate != null ? Jsonata.applyTemplate(outputTemplate, states, flow.variables) : result;
                if (assign != null) {
                    assigned = fieldsOf(Jsonata.applyTemplate(assign, states, flow.variables, "Assign"));
                }
            } else {
                JsonNode r = result;
                if (state.producesResult()) {
                    inspect("result", result);
                }
                if (state.producesResult() && state.resultSelector != null) {
                    r = PayloadTemplates.apply(state.resultSelector, scope(r));
                    inspect("afterResultSelector", r);
                }
                if (assign != null) {
                    assigned = fieldsOf(PayloadTemplates.apply(assign, scope(r)));
                }
                out = r;
                if (state.producesResult()) {
                    out = state.resultPath == null ? input : "$".equals(state.resultPath) ? r
                            : JsonPaths.applyResultPath(input, state.resultPath, r);
                    inspect("afterResultPath", out);
                }
                out = state.outputPath == null ? Json.object() : "$".equals(state.outputPath) ? out : JsonPaths.read(state.outputPath, scope(out));
            }
        } catch (StatesError e) {
            failRuntime(e.error(), e.cause());
            return;
        }
        exit(out, assigned, next);
    }

    private static Map<String, JsonNode> fieldsOf(JsonNode object) {
        Map<String, JsonNode> m = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            m.put(e.getKey(), e.getValue());
        }
        return m;
    }

    private void exit(JsonNode out, Map<String, JsonNode> assigned, String next) {
        if (Json.maxTextSize(out, MAX_PAYLOAD) > MAX_PAYLOAD && Json.write(out).length() > MAX_PAYLOAD) {
            fail("States.DataLimitExceeded", "The state/task '" + state.name + "' returned a result with a size exceeding the maximum number of bytes service limit.");
            return;
        }
        Object details;
        if (assigned == null) {
            details = new History.Payload(state.name, "output", out);
        } else {
            ObjectNode d = Json.object();
            d.put("name", state.name);
            Map<String, JsonNode> vars = new HashMap<>(flow.variables);
            vars.putAll(assigned);
            flow.variables = vars;
            ObjectNode av = d.putObject("assignedVariables");
            assigned.forEach((k, v) -> av.put(k, Json.write(v)));
            ObjectNode all = Json.object();
            vars.forEach(all::set);
            inspect("variables", all);
            d.set("assignedVariablesDetails", Json.object().put("truncated", false));
            d.set("output", Json.lazyText(out));
            d.set("outputDetails", Json.NOT_TRUNCATED);
            details = d;
        }
        boolean goesOn = next != null && !state.terminal();
        // the transition taken (a Choice's pick, a Catch's Next) is not in the event: a restart reads it from here
        flow.event(state.exitedEvent, "stateExitedEventDetails", details, goesOn ? next : null);
        if (goesOn) {
            flow.enter(next, out);
        } else {
            flow.done(Outcome.success(out));
        }
    }

    /** The state failed: retry it, catch the error, or fail the flow. */
    @Override
    public void fail(String error, String cause) {
        if (flow.cancelled()) {
            return;
        }
        // a Fail state without Error (or a branch that ended in one) fails with no error at all, as on AWS
        // (LocalStack's recorded test_state_fail_empty / test_map_state_catch_empty_fail: executionFailedEventDetails {})
        String err = error;
        if (!state.terminal()) {
            for (int i = 0; i < state.retriers.size(); i++) {
                Retrier r = state.retriers.get(i);
                if (ErrorNames.matches(r.errorEquals, err)) {
                    if (retriesUsed[i] < r.maxAttempts) {
                        double delay = r.delaySeconds(retriesUsed[i]);
                        if (r.fullJitter) {
                            delay = ThreadLocalRandom.current().nextDouble() * delay;
                        }
                        Inspection inspection = flow.execution.inspection;
                        if (inspection != null && inspection.watches(this)) {
                            inspection.errorDetail("retryIndex", i);
                            inspection.errorDetail("retryBackoffIntervalSeconds", (long) delay);
                            inspection.retriable();
                            flow.done(Outcome.failure(err, cause));
                            return;
                        }
                        retriesUsed[i]++;
                        retryCount++;
                        long due = flow.engine.clock().millis() + flow.engine.scaled((long) (delay * 1000));
                        flow.mark(Recovery.RETRY, Json.object().put("retrier", i).put("due", due));
                        retryAt(due);
                        return;
                    }
                    break;
                }
            }
            for (int i = 0; i < state.catchers.size(); i++) {
                Catcher c = state.catchers.get(i);
                if (ErrorNames.matches(c.errorEquals, err)) {
                    Inspection inspection = flow.execution.inspection;
                    if (inspection != null && inspection.watches(this)) {
                        inspection.errorDetail("catchIndex", i);
                    }
                    caught(c, err, cause);
                    return;
                }
            }
        }
        flow.done(Outcome.failure(err, cause));
    }

    private void caught(Catcher c, String error, String cause) {
        ObjectNode errorOutput = Json.object();
        if (error != null) {
            errorOutput.put("Error", error);
        }
        if (cause != null) {
            errorOutput.put("Cause", cause);
        }
        JsonNode out;
        Map<String, JsonNode> assigned = null;
        try {
            if (state.language == QueryLanguage.JSONATA) {
                ObjectNode states = states(null, errorOutput);
                out = c.output != null ? Jsonata.applyTemplate(c.output, states, flow.variables) : errorOutput;
                if (c.assign != null) {
                    assigned = fieldsOf(Jsonata.applyTemplate(c.assign, states, flow.variables, "Assign"));
                }
            } else {
                out = c.resultPath == null ? input : "$".equals(c.resultPath) ? errorOutput
                        : JsonPaths.applyResultPath(input, c.resultPath, errorOutput);
                if (c.assign != null) {
                    assigned = fieldsOf(PayloadTemplates.apply(c.assign, scope(errorOutput)));
                }
            }
        } catch (StatesError e) {
            flow.done(Outcome.failure(e.error(), evaluationFailed(e.error(), e.cause())));
            return;
        }
        exit(out, assigned, c.next);
    }
}
