package io.cqrsworkers.command;

import com.fasterxml.jackson.databind.JsonNode;

/** One worker step of the command state machine; the state's output is what {@link #run} returns. */
public interface CommandStep {

    /** The state name in command.asl.json. */
    String state();

    JsonNode run(CommandStepContext context) throws Exception;

    /** True for a callback that answers its token later rather than when it returns. */
    default boolean defersAnswer() {
        return false;
    }

    /** False for a step that writes the command's status itself. */
    default boolean recordsStatus() {
        return true;
    }
}
