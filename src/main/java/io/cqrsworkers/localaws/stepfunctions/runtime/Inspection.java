package io.cqrsworkers.localaws.stepfunctions.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.core.Json;

import java.util.Map;

/**
 * What TestState shows of the state under test at inspectionLevel DEBUG: the data at each step of its processing
 * (AWS's InspectionData: input, afterInputPath, afterParameters or afterArguments, result, afterResultSelector,
 * afterResultPath, variables; errorDetails with the Retry or Catch that handled an error). Values are JSON text, as
 * in the API. As on AWS, a state under test is not retried: an error a Retry matches ends it as RETRIABLE.
 */
public final class Inspection {
    private final String state;
    private final ObjectNode data = Json.object();
    private final Map<String, JsonNode> variables;
    private volatile boolean retriable;

    /** @param variables the workflow variables the state starts with (TestState's {@code variables}) */
    public Inspection(String state, Map<String, JsonNode> variables) {
        this.state = state;
        this.variables = Map.copyOf(variables);
    }

    Map<String, JsonNode> variables() {
        return variables;
    }

    boolean watches(StateRun run) {
        return run.state.name.equals(state);
    }

    synchronized void put(String field, JsonNode value) {
        data.put(field, Json.write(value));
    }

    synchronized void errorDetail(String field, Number value) {
        ObjectNode d = data.has("errorDetails") ? (ObjectNode) data.get("errorDetails") : data.putObject("errorDetails");
        d.put(field, value.longValue());
    }

    void retriable() {
        retriable = true;
    }

    /** A Catch handled the state's error. */
    public synchronized boolean isCaught() {
        return data.has("errorDetails") && data.get("errorDetails").has("catchIndex");
    }

    /** A Retry matched the state's error: TestState answers RETRIABLE instead of retrying. */
    public boolean isRetriable() {
        return retriable;
    }

    public synchronized ObjectNode data() {
        return data.deepCopy();
    }
}
