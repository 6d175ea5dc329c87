package io.cqrsworkers.localaws.stepfunctions.api;

import io.cqrsworkers.localaws.stepfunctions.core.SfnException;
import io.cqrsworkers.localaws.stepfunctions.asl.Definition;

/** Definition checks that depend on the machine type, on top of the language's own validation. */
final class Definitions {
    private Definitions() {
    }

    static Definition parse(String text, String type) {
        Definition d = Definition.parse(text);
        if ("EXPRESS".equals(type) && (text.contains(".waitForTaskToken") || text.contains(".sync"))) {
            throw new SfnException("InvalidDefinition", "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Express state machine does not support '.sync' or '.waitForTaskToken' service integration'");
        }
        return d;
    }
}
