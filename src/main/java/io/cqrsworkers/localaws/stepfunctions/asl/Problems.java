package io.cqrsworkers.localaws.stepfunctions.asl;

import io.cqrsworkers.localaws.stepfunctions.core.SfnException;

import java.util.ArrayList;
import java.util.List;

/** Definition problems collected while parsing, reported together the way AWS does. */
public final class Problems {
    private final List<String> messages = new ArrayList<>();

    /** A problem at {@code path}; a null path (MISSING_END_STATE) reads "at null", as AWS words it. */
    public void add(String code, String message, String path) {
        messages.add(code + ": " + message + " at " + (path == null ? "null" : path.isEmpty() ? "/" : path));
    }

    public List<String> messages() {
        return messages;
    }

    void throwIfAny() {
        if (!messages.isEmpty()) {
            String text = messages.size() == 1 ? messages.get(0)
                    : messages.size() + " errors: " + String.join(", ", messages);
            throw new SfnException("InvalidDefinition", "Invalid State Machine Definition: '" + text + "'");
        }
    }
}
