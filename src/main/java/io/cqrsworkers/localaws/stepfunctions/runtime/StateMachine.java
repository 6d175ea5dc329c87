package io.cqrsworkers.localaws.stepfunctions.runtime;

import io.cqrsworkers.localaws.stepfunctions.asl.Definition;

/** A state machine as stored: immutable, replaced as a whole on update. */
public record StateMachine(String arn, String name, String type, String definitionText, Definition definition,
                           String roleArn, long creationMillis, long updateMillis, String revisionId) {
    public boolean express() {
        return "EXPRESS".equals(type);
    }
}
