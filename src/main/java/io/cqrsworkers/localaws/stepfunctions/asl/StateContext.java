package io.cqrsworkers.localaws.stepfunctions.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.localaws.stepfunctions.data.EvalScope;

import java.time.Instant;

/**
 * What a state asks of the run it executes in. The runtime implements it, so a state describes its own behaviour
 * ({@link State#execute}) without knowing the runtime's classes; every run ends in exactly one of succeed, choose or
 * fail.
 */
public interface StateContext {

    /** The state's raw input. */
    JsonNode input();

    /** The input after InputPath (JSONPath); the raw input in JSONata. */
    JsonNode effectiveInput();

    /** When the flow entered this state (also across a restart). */
    Instant enteredTime();

    /** The scope JSONPaths and intrinsics are evaluated in, over {@code over}. */
    EvalScope scope(JsonNode over);

    /** A field value that may be a JSONata expression. */
    JsonNode value(JsonNode field, JsonNode over);

    /** A field given as a JSONPath or an intrinsic function (ErrorPath, CausePath). */
    JsonNode resolve(String field, String pathOrIntrinsic, JsonNode over);

    /** Applies a payload template (Parameters, Arguments) in the state's language. */
    JsonNode payload(JsonNode template, JsonNode over);

    /** Evaluates one Choice rule against {@code over}. */
    boolean matches(JsonNode rule, JsonNode over);

    /** The state produced {@code result}: process it into the output and move on to the state's Next. */
    void succeed(JsonNode result);

    /** A Choice picked {@code next}; a matching rule's Assign/Output replace the state's. */
    void choose(String next, JsonNode in, JsonNode ruleAssign, JsonNode ruleOutput);

    /** The state failed with {@code error}: retried, caught or the end of the flow. */
    void fail(String error, String cause);

    /** The state's own evaluation failed (States.Runtime, States.QueryEvaluationError), with AWS's cause. */
    void failRuntime(String error, String cause);

    /** Parks the flow until {@code when} (counted from {@link #enteredTime}), then runs {@code then}. */
    void sleepUntil(Instant when, Runnable then);

    /** Runs a Task state's resource (integration, activity or mock). */
    void runTask(TaskState task);

    /** Runs a Map's items, inline or as child executions. */
    void runMap(MapState map);

    /** Runs a Parallel's branches. */
    void runParallel(ParallelState parallel);

    /** After a restart: runs the interrupted attempt again from the state's input. */
    void restart();

    /** After a restart: a Map keeps its finished items and resumes the others. */
    void resumeMap(MapState map);

    /** After a restart: a Parallel keeps its finished branches and resumes the others. */
    void resumeParallel(ParallelState parallel);
}
