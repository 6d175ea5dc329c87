package io.cqrsworkers.localaws.stepfunctions.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.localaws.stepfunctions.data.JsonPaths;
import io.cqrsworkers.localaws.stepfunctions.data.Jsonata;
import io.cqrsworkers.localaws.stepfunctions.data.PayloadTemplates;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One state of a definition: the fields every state type shares (transition, input/output processing, Assign,
 * Retry/Catch) parsed and validated here; each subclass adds its own fields and its behaviour in {@link #execute}.
 */
public abstract class State {
    static final Set<String> JSONPATH_ONLY = Set.of("InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath",
            "ItemsPath", "TimeoutSecondsPath", "HeartbeatSecondsPath", "SecondsPath", "TimestampPath", "ErrorPath",
            "CausePath", "MaxConcurrencyPath", "ToleratedFailurePercentagePath", "ToleratedFailureCountPath", "Iterator", "Result");
    static final Set<String> JSONATA_ONLY = Set.of("Arguments", "Output", "Items");

    public final String name;
    public final String type;
    /** The types of the history events of entering and leaving this state ({@code PassStateEntered}, ...). */
    public final String enteredEvent;
    public final String exitedEvent;
    public final QueryLanguage language;
    public final String next;
    public final boolean end;
    public final String inputPath;
    public final String outputPath;
    /** Null when the field is JSON null ("discard the result"); "$" when absent. */
    public final String resultPath;
    public final JsonNode parameters;
    public final JsonNode resultSelector;
    public final JsonNode arguments;
    public final JsonNode output;
    public final JsonNode assign;
    public final List<Retrier> retriers;
    public final List<Catcher> catchers;
    private final boolean retriable;

    protected State(String name, Fields f, QueryLanguage inherited, Set<String> ownFields, boolean transitions) {
        this.name = name;
        this.type = f.node.path("Type").asText();
        this.enteredEvent = type + "StateEntered";
        this.exitedEvent = type + "StateExited";
        this.language = QueryLanguage.parse(f.string("QueryLanguage", false), inherited, f.problems, f.path);
        Set<String> allowed = new HashSet<>(ownFields);
        allowed.addAll(Set.of("Type", "Comment", "QueryLanguage"));
        if (transitions) {
            allowed.addAll(Set.of("Next", "End"));
        }
        f.onlyKnown(allowed, type);
        f.forbiddenIn(language, language == QueryLanguage.JSONATA ? JSONPATH_ONLY : JSONATA_ONLY);
        this.next = f.string("Next", false);
        this.end = f.bool("End");
        if (transitions) {
            if (next == null && !end) {
                f.problems.add("SCHEMA_VALIDATION_FAILED", "This state should have either an 'End' or 'Next' field", f.path);
            } else if (next != null && end) {
                f.problems.add("SCHEMA_VALIDATION_FAILED", "This state can not have both 'End' and 'Next' fields", f.path);
            }
        }
        this.inputPath = f.pathField("InputPath");
        this.outputPath = f.pathField("OutputPath");
        this.resultPath = f.pathField("ResultPath");
        this.parameters = f.get("Parameters");
        this.resultSelector = f.get("ResultSelector");
        this.arguments = f.get("Arguments");
        this.output = f.get("Output");
        this.assign = objectField(f, "Assign");
        if (language == QueryLanguage.JSONPATH) {
            f.check("InputPath", () -> validatePath(inputPath));
            f.check("OutputPath", () -> validatePath(outputPath));
            f.check("ResultPath", () -> {
                if (resultPath != null && !"$".equals(resultPath)) {
                    JsonPaths.validateReferencePath(resultPath);
                }
            });
            for (String template : new String[]{"Parameters", "ResultSelector", "ItemSelector", "Assign"}) {
                f.check(template, () -> PayloadTemplates.validate(f.get(template)));
            }
        } else {
            for (String template : new String[]{"Arguments", "Output", "Assign", "Items", "ItemSelector"}) {
                f.check(template, () -> Jsonata.validateTemplate(f.get(template)));
            }
        }
        this.retriable = ownFields.contains("Retry");
        this.retriers = Retrier.parseAll(f);
        this.catchers = Catcher.parseAll(f, language);
    }

    /** InputPath / OutputPath: a path Jayway cannot compile gets the text AWS gives one without '$' (Fields). */
    private static void validatePath(String path) {
        if (path != null && !"$".equals(path)) {
            try {
                JsonPaths.validatePath(path);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(Fields.INVALID_JSONPATH, e);
            }
        }
    }

    static JsonNode objectField(Fields f, String field) {
        JsonNode v = f.get(field);
        if (v != null && !v.isObject()) {
            f.problems.add("SCHEMA_VALIDATION_FAILED", "The value for the field '" + field + "' must be an OBJECT", f.path + "/" + field);
            return null;
        }
        return v;
    }

    /** Whether the state type has Retry (Task, Parallel, Map): only those show $$.State.RetryCount. */
    public boolean canRetry() {
        return retriable;
    }

    /**
     * Whether the state ends its branch whatever its fields say (Succeed, Fail): no transition after it, and a Fail
     * is neither retried nor caught.
     */
    public boolean terminal() {
        return false;
    }

    /** Whether ResultPath/ResultSelector apply to this state type's result (Pass, Task, Parallel, Map). */
    public boolean producesResult() {
        return false;
    }

    /** Reports targets of its own fields (a Choice's rules) that name no state of the graph. */
    void checkTargets(Set<String> names, Problems problems, String path) {
    }

    /** Names of states this one can transition to, for reachability and target checks. */
    List<String> targets() {
        return next == null ? List.of() : List.of(next);
    }

    /** Runs the state for {@code run}; must end in exactly one of run.succeed / run.transition / run.fail. */
    public abstract void execute(StateContext run);

    /**
     * Goes on with an attempt the engine had under way when it stopped. Most states just run again from their
     * input; Map and Parallel keep their finished children.
     */
    public void resume(StateContext run) {
        run.restart();
    }
}
