package io.cqrsworkers.localaws.stepfunctions.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.localaws.stepfunctions.data.ChoiceRules;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Choice: the first rule that matches picks the next state; else Default; else States.NoChoiceMatched. */
public final class ChoiceState extends State {
    private final JsonNode choices;
    private final String defaultState;

    ChoiceState(String name, Fields f, QueryLanguage language) {
        super(name, f, language, Set.of("InputPath", "OutputPath", "Choices", "Default", "Assign", "Output"), false);
        this.choices = f.get("Choices");
        this.defaultState = f.string("Default", false);
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
            f.problems.add("SCHEMA_VALIDATION_FAILED", "The field 'Choices' should be a non-empty array", f.path);
            return;
        }
        for (int i = 0; i < choices.size(); i++) {
            JsonNode rule = choices.get(i);
            String at = f.path + "/Choices[" + i + "]";
            if (!rule.path("Next").isTextual()) {
                f.problems.add("SCHEMA_VALIDATION_FAILED", "The field 'Next' is required but was missing", at);
            }
            if (language == QueryLanguage.JSONATA) {
                if (!rule.path("Condition").isTextual() && !rule.path("Condition").isBoolean()) {
                    f.problems.add("SCHEMA_VALIDATION_FAILED", "The field 'Condition' is required but was missing", at);
                }
            } else {
                try {
                    ChoiceRules.validate(rule);
                } catch (IllegalArgumentException e) {
                    f.problems.add("SCHEMA_VALIDATION_FAILED", e.getMessage(), at);
                }
            }
        }
    }

    @Override
    void checkTargets(Set<String> names, Problems problems, String path) {
        if (choices == null || !choices.isArray()) {
            return;
        }
        for (int i = 0; i < choices.size(); i++) {
            String t = choices.get(i).path("Next").asText(null);
            if (t != null && !names.contains(t)) {
                problems.add("MISSING_TRANSITION_TARGET", "Missing 'Next' target: " + t, path + "/Choices[" + i + "]/Next");
            }
        }
        if (defaultState != null && !names.contains(defaultState)) {
            problems.add("MISSING_TRANSITION_TARGET", "Missing 'Default' target: " + defaultState, path + "/Default");
        }
    }

    @Override
    List<String> targets() {
        List<String> t = new ArrayList<>();
        if (choices != null) {
            choices.forEach(c -> t.add(c.path("Next").asText()));
        }
        if (defaultState != null) {
            t.add(defaultState);
        }
        return t;
    }

    @Override
    public void execute(StateContext run) {
        JsonNode in = run.effectiveInput();
        for (JsonNode rule : choices) {
            if (run.matches(rule, in)) {
                run.choose(rule.get("Next").asText(), in, rule.get("Assign"), rule.get("Output"));
                return;
            }
        }
        if (defaultState != null) {
            run.choose(defaultState, in, null, null);
        } else {
            run.fail("States.NoChoiceMatched", "No Matches!");
        }
    }
}
