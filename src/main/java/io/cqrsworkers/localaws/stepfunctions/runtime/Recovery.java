package io.cqrsworkers.localaws.stepfunctions.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.Json;
import io.cqrsworkers.localaws.stepfunctions.asl.ChoiceState;
import io.cqrsworkers.localaws.stepfunctions.asl.State;
import io.cqrsworkers.localaws.stepfunctions.asl.TaskState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resumes a running execution from its history after a restart. The history is the log: replaying the top-level
 * events gives the state the execution is in, its input and its variables. A task parked on a task token waits
 * again on the same token; Wait counts from its original entry; any other state runs again from its input.
 */
final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);
    private static final Set<String> NESTED_START = Set.of("ParallelStateStarted", "MapStateStarted", "MapRunStarted");
    private static final Set<String> NESTED_END = Set.of("ParallelStateSucceeded", "ParallelStateFailed",
            "MapStateSucceeded", "MapStateFailed", "MapRunSucceeded", "MapRunFailed");

    private Recovery() {
    }

    static void resume(Engine engine, Execution e, List<ObjectNode> events, Map<String, String> parkedTokens) {
        Map<String, JsonNode> variables = new HashMap<>();
        int depth = 0;
        ObjectNode entered = null;
        ObjectNode lastExit = null;
        ObjectNode scheduled = null;
        boolean submitted = false;
        boolean settled = false;
        for (ObjectNode ev : events) {
            String type = ev.path("type").asText();
            if (NESTED_START.contains(type)) {
                depth++;
            } else if (NESTED_END.contains(type)) {
                depth--;
            } else if (depth == 0 && type.endsWith("StateEntered")) {
                entered = ev;
                lastExit = null;
                scheduled = null;
                submitted = false;
                settled = false;
            } else if (depth == 0 && type.endsWith("StateExited")) {
                entered = null;
                lastExit = ev;
                JsonNode assigned = ev.path("stateExitedEventDetails").path("assignedVariables");
                for (Iterator<Map.Entry<String, JsonNode>> it = assigned.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> a = it.next();
                    variables.put(a.getKey(), parse(a.getValue().asText()));
                }
            } else if (depth == 0 && type.equals("TaskScheduled")) {
                scheduled = ev;
                submitted = false;
                settled = false;
            } else if (depth == 0 && type.equals("TaskSubmitted")) {
                submitted = true;
            } else if (depth == 0 && (type.equals("TaskSucceeded") || type.equals("TaskFailed") || type.equals("TaskTimedOut"))) {
                settled = true;
            }
        }
        long lastId = events.isEmpty() ? 0 : events.get(events.size() - 1).path("id").asLong();
        Flow root = engine.rootFlow(e, variables, lastId);
        State state;
        if (depth > 0) {
            giveUp(engine, e, "inside a Parallel or Map state");
            return;
        }
        if (entered != null) {
            JsonNode details = entered.path("stateEnteredEventDetails");
            state = e.machine.definition().graph.state(details.path("name").asText());
            StateRun run = new StateRun(root, state, parse(details.path("input").asText()), millis(entered));
            String token = parkedTokens.get(state.name);
            if (state instanceof TaskState && scheduled != null && submitted && !settled && token != null) {
                engine.tasks().resumeParked(run, token, scheduled.path("taskScheduledEventDetails"), millis(scheduled));
            } else {
                engine.submit(run::attempt);
            }
            LOG.info("resumed {} in state {}", e.arn, state.name);
            return;
        }
        if (lastExit == null) {
            root.start(e.input());
            return;
        }
        JsonNode details = lastExit.path("stateExitedEventDetails");
        state = e.machine.definition().graph.state(details.path("name").asText());
        if (state instanceof ChoiceState || state.next == null) {
            giveUp(engine, e, "between states");
            return;
        }
        root.enter(state.next, parse(details.path("output").asText()));
    }

    private static void giveUp(Engine engine, Execution e, String where) {
        LOG.warn("cannot resume {} ({})", e.arn, where);
        engine.stop(e, "States.Runtime", "The local Step Functions engine restarted while this execution was " + where + "; it cannot be resumed");
    }

    private static long millis(ObjectNode event) {
        return (long) (event.path("timestamp").asDouble() * 1000);
    }

    private static JsonNode parse(String text) {
        try {
            return Json.parse(text);
        } catch (Exception ex) {
            return Json.NODES.textNode(text);
        }
    }
}
