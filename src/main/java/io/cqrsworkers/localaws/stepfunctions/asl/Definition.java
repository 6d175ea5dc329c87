package io.cqrsworkers.localaws.stepfunctions.asl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.localaws.stepfunctions.core.Json;

import java.util.Set;

/** A parsed, validated state machine definition. */
public final class Definition {
    public final StateGraph graph;
    public final Integer timeoutSeconds;
    /** For the machine of a distributed Map's children (an ItemProcessor): the language it was parsed in; else null. */
    public final QueryLanguage processorLanguage;

    private Definition(StateGraph graph, Integer timeoutSeconds, QueryLanguage processorLanguage) {
        this.graph = graph;
        this.timeoutSeconds = timeoutSeconds;
        this.processorLanguage = processorLanguage;
    }

    /** A machine whose body is {@code graph}: the children of a distributed Map run its ItemProcessor. */
    public static Definition of(StateGraph graph) {
        return new Definition(graph, null, graph.language);
    }

    /** An ItemProcessor read back from its text (after a restart), in the language it was first parsed in. */
    public static Definition parseProcessor(String text, QueryLanguage language) {
        Problems problems = new Problems();
        StateGraph graph = new StateGraph(new Fields(Json.parseUnchecked(text), "", problems), language, Set.of("ProcessorConfig"));
        problems.throwIfAny();
        return new Definition(graph, null, language);
    }

    /** Parses and validates; throws InvalidDefinition listing every problem. */
    public static Definition parse(String text) {
        Problems problems = new Problems();
        Definition d = parse(text, problems);
        problems.throwIfAny();
        return d;
    }

    /** Parses collecting problems instead of throwing (ValidateStateMachineDefinition). */
    public static Definition parse(String text, Problems problems) {
        JsonNode node;
        try {
            node = Json.parse(text == null ? "" : text);
        } catch (JsonProcessingException e) {
            problems.add("INVALID_JSON_DESCRIPTION", e.getOriginalMessage(), "");
            return null;
        }
        if (node == null || !node.isObject()) {
            problems.add("INVALID_JSON_DESCRIPTION", "The definition must be a JSON object", "");
            return null;
        }
        Fields f = new Fields(node, "", problems);
        StateGraph graph = new StateGraph(f, QueryLanguage.JSONPATH, Set.of("TimeoutSeconds", "Version"));
        return new Definition(graph, f.positiveInt("TimeoutSeconds", 1), null);
    }
}
