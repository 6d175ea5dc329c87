package io.cqrsworkers.localaws.stepfunctions.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.runtime.Engine;
import io.cqrsworkers.localaws.stepfunctions.runtime.Execution;
import io.cqrsworkers.localaws.stepfunctions.runtime.StateMachine;

import java.nio.file.Path;

/** Persistence in a data directory (to be completed). */
public final class FileStore implements Store {
    private final Path dir;

    public FileStore(Path dir) {
        this.dir = dir;
    }

    public void recover(Engine engine) {
    }

    @Override
    public void saveMachine(StateMachine machine) {
    }

    @Override
    public void deleteMachine(StateMachine machine) {
    }

    @Override
    public void saveExecution(Execution execution) {
    }

    @Override
    public void appendEvent(String executionArn, ObjectNode event) {
    }

    @Override
    public void close() {
    }
}
