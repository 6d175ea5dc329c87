package io.cqrsworkers.localaws.stepfunctions.asl;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** StartAt + States: the body of a machine, of a Parallel branch and of a Map's ItemProcessor. */
public final class StateGraph {
    public final String startAt;
    public final Map<String, State> states = new LinkedHashMap<>();
    public final QueryLanguage language;

    StateGraph(Fields f, QueryLanguage inherited, Set<String> extraFields) {
        this.language = QueryLanguage.parse(f.string("QueryLanguage", false), inherited, f.problems, f.path);
        Set<String> allowed = new HashSet<>(Set.of("StartAt", "States", "Comment", "QueryLanguage"));
        allowed.addAll(extraFields);
        f.onlyKnown(allowed, null);
        this.startAt = f.string("StartAt", true);
        JsonNode statesNode = f.get("States");
        if (statesNode == null || !statesNode.isObject()) {
            f.problems.add("SCHEMA_VALIDATION_FAILED", "The field 'States' is required but was missing", f.path);
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = statesNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            State s = States.parse(e.getKey(), new Fields(e.getValue(), f.path + "/States/" + e.getKey(), f.problems), language);
            if (s != null) {
                states.put(e.getKey(), s);
            }
        }
        checkTransitions(f);
    }

    private void checkTransitions(Fields f) {
        String base = f.path + "/States/";
        int problemsBefore = f.problems.messages().size();
        if (startAt != null && !states.containsKey(startAt)) {
            f.problems.add("MISSING_TRANSITION_TARGET", "Missing 'StartAt' target: " + startAt, f.path + "/StartAt");
        }
        for (State s : states.values()) {
            if (s.next != null && !states.containsKey(s.next)) {
                f.problems.add("MISSING_TRANSITION_TARGET", "Missing 'Next' target: " + s.next, base + s.name + "/Next");
            }
            for (int i = 0; i < s.catchers.size(); i++) {
                String t = s.catchers.get(i).next;
                if (t != null && !states.containsKey(t)) {
                    f.problems.add("MISSING_TRANSITION_TARGET", "Missing 'Next' target: " + t, base + s.name + "/Catch[" + i + "]/Next");
                }
            }
            s.checkTargets(states.keySet(), f.problems, base + s.name);
        }
        // AWS (validate-state-machine-definition answers recorded in floci-io/floci#2735 and #2786): a graph with
        // no terminal state is MISSING_END_STATE without a location, reported after dangling targets and instead of
        // the reachability walk; TimeoutSeconds is no way out (the rule looks at the states only)
        boolean hasTerminal = states.values().stream().anyMatch(s -> s.end || s.terminal());
        if (!hasTerminal && !states.isEmpty()) {
            f.problems.add("MISSING_END_STATE", "Workflow has no terminal state", f.path.isEmpty() ? null : f.path);
            return;
        }
        if (startAt == null || !states.containsKey(startAt) || problemsBefore != f.problems.messages().size()) {
            return;
        }
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.add(startAt);
        while (!todo.isEmpty()) {
            State s = states.get(todo.poll());
            if (s != null && seen.add(s.name)) {
                todo.addAll(s.targets());
                s.catchers.forEach(c -> todo.add(c.next));
            }
        }
        for (String name : states.keySet()) {
            if (!seen.contains(name)) {
                f.problems.add("MISSING_TRANSITION_TARGET", "State \"" + name + "\" is not reachable.", base + name);
            }
        }
    }

    public State state(String name) {
        return states.get(name);
    }
}
