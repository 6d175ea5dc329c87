package io.cqrsworkers.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.json.Jackson;

/**
 * One worker step as Step Functions sends it to a worker queue: the seed's Lambda payload
 * {@code {"source":"step-function","context":$$,"input":$,"taskToken":$$.Task.Token}}.
 *
 * @param machine the state machine's logical name (its physical name without the environment prefix)
 */
public record StepEvent(String machine, String state, JsonNode context, JsonNode input, String taskToken) {

    private static final ObjectMapper JSON = Jackson.MAPPER;

    /** Parses a worker-queue message; fails with a clear message when it is not a step event. */
    public static StepEvent parse(String body, String prefix) {
        JsonNode event;
        try {
            event = JSON.readTree(body);
        } catch (Exception e) {
            throw new InvalidStepEventException("Worker message is not JSON: " + e.getMessage());
        }
        JsonNode context = event.path("context");
        String machineName = context.path("StateMachine").path("Name").asText(null);
        String state = context.path("State").path("Name").asText(null);
        String token = event.path("taskToken").asText(null);
        if (machineName == null || state == null || token == null) {
            throw new InvalidStepEventException("Worker message lacks context.StateMachine.Name, context.State.Name "
                    + "or taskToken: " + abbreviate(body));
        }
        String machine = machineName.startsWith(prefix) ? machineName.substring(prefix.length()) : machineName;
        return new StepEvent(machine, state, context, event.path("input"), token);
    }

    /** The execution's input ({@code $$.Execution.Input}), e.g. the stream record that started it. */
    public JsonNode executionInput() {
        return context.path("Execution").path("Input");
    }

    public String executionArn() {
        return context.path("Execution").path("Id").asText();
    }

    public int retryCount() {
        return context.path("State").path("RetryCount").asInt(0);
    }

    /** The route a step is dispatched to: {@code direct:<machine>.<state>}. */
    public String endpointUri() {
        return "direct:" + machine + "." + state;
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }

    /** A message that is not a step event: it has no token to answer, so it goes to the queue's DLQ. */
    public static final class InvalidStepEventException extends IllegalArgumentException {
        public InvalidStepEventException(String message) {
            super(message);
        }
    }
}
