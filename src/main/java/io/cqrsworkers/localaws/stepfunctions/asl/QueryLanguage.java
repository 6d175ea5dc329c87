package io.cqrsworkers.localaws.stepfunctions.asl;

/** The two query languages of the States language; a state inherits the machine's unless it names its own. */
public enum QueryLanguage {
    JSONPATH("JSONPath"), JSONATA("JSONata");

    private final String text;

    QueryLanguage(String text) {
        this.text = text;
    }

    static QueryLanguage parse(String text, QueryLanguage inherited, Problems problems, String path) {
        if (text == null) {
            return inherited;
        }
        for (QueryLanguage l : values()) {
            if (l.text.equals(text)) {
                if (l == JSONPATH && inherited == JSONATA) {
                    problems.add("SCHEMA_VALIDATION_FAILED", "'QueryLanguage' can not be 'JSONPath' when the top level QueryLanguage is 'JSONata'", path + "/QueryLanguage");
                }
                return l;
            }
        }
        problems.add("SCHEMA_VALIDATION_FAILED", "The value for the field 'QueryLanguage' must be one of [JSONPath, JSONata]", path + "/QueryLanguage");
        return inherited;
    }
}
