package io.cqrsworkers.localaws.stepfunctions.asl;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** One Catch rule: the errors it matches, where the error output goes, and the fallback state. */
public final class Catcher {
    public final List<String> errorEquals;
    public final String next;
    public final String resultPath;
    public final JsonNode output;
    public final JsonNode assign;

    private Catcher(Fields f, QueryLanguage language) {
        this.errorEquals = ErrorNames.parse(f);
        this.next = f.string("Next", true);
        this.resultPath = f.pathField("ResultPath");
        this.output = f.get("Output");
        this.assign = State.objectField(f, "Assign");
        f.onlyKnown(Set.of("ErrorEquals", "Next", "ResultPath", "Output", "Assign", "Comment"), null);
        f.forbiddenIn(language, language == QueryLanguage.JSONATA ? Set.of("ResultPath") : Set.of("Output"));
    }

    static List<Catcher> parseAll(Fields f, QueryLanguage language) {
        JsonNode c = f.get("Catch");
        List<Catcher> list = new ArrayList<>();
        if (c == null) {
            return list;
        }
        if (!c.isArray()) {
            f.problems.add("SCHEMA_VALIDATION_FAILED", "The value for the field 'Catch' must be an ARRAY", f.path + "/Catch");
            return list;
        }
        for (int i = 0; i < c.size(); i++) {
            list.add(new Catcher(new Fields(c.get(i), f.path + "/Catch[" + i + "]", f.problems), language));
        }
        ErrorNames.checkAllLast(list.stream().map(r -> r.errorEquals).toList(), f, "Catch");
        return list;
    }
}
