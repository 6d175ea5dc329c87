package io.cqrsworkers.localaws.stepfunctions.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.runtime.Execution;
import io.cqrsworkers.localaws.stepfunctions.runtime.StateMachine;

import java.util.List;

/** Where machines, executions and their histories are kept beyond the heap. */
public interface Store extends AutoCloseable {
    void saveMachine(StateMachine machine);

    void deleteMachine(StateMachine machine);

    void saveExecution(Execution execution);

    void appendEvent(String executionArn, ObjectNode event);

    /** The persisted history of an execution, in order; null when this store keeps none. */
    List<ObjectNode> events(String executionArn);

    /** A task of the execution waits for {@code token}; kept so the wait survives a restart. */
    void parkedTask(String executionArn, String stateName, String token);

    /** Removes everything kept about a closed execution (its retention ended). */
    void forgetExecution(String executionArn);

    @Override
    void close();

    /** No persistence: everything lives in the heap only. */
    Store NONE = new Store() {
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
        public List<ObjectNode> events(String executionArn) {
            return null;
        }

        @Override
        public void parkedTask(String executionArn, String stateName, String token) {
        }

        @Override
        public void forgetExecution(String executionArn) {
        }

        @Override
        public void close() {
        }
    };
}
