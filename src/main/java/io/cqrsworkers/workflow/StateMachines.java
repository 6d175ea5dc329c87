package io.cqrsworkers.workflow;

import io.cqrsworkers.resources.ResourceDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.StateMachineListItem;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Starts executions of the state machines by logical name; the ARN is looked up once. */
public final class StateMachines {

    /** The registry name of the one instance (bound by the application's configuration). */
    public static final String BEAN = "stateMachines";

    private static final Logger LOG = LoggerFactory.getLogger(StateMachines.class);

    private final SfnClient sfn;
    private final String prefix;
    private final Map<String, String> arns = new ConcurrentHashMap<>();

    public StateMachines(SfnClient sfn, String prefix) {
        this.sfn = sfn;
        this.prefix = prefix;
    }

    public String arn(String logicalName) {
        return arns.computeIfAbsent(logicalName, name -> {
            String physical = ResourceDescription.physical(prefix, name);
            return sfn.listStateMachinesPaginator(b -> b.maxResults(100)).stateMachines().stream()
                    .filter(m -> m.name().equals(physical)).map(StateMachineListItem::stateMachineArn).findFirst()
                    .orElseThrow(() -> new IllegalStateException("No state machine named " + physical));
        });
    }

    /** The ARN an execution of that name has (or will have): Step Functions derives it from the machine's. */
    public String executionArn(String logicalName, String executionName) {
        return arn(logicalName).replace(":stateMachine:", ":execution:") + ":" + executionName;
    }

    /**
     * Starts an execution with a deterministic name, so a redelivered event never starts a second one: Step Functions
     * returns the running execution for the same name and input, and refuses the name (ExecutionAlreadyExists) once
     * that execution has ended or when the input differs.
     *
     * @return the execution ARN, or null when an execution of that name exists already (ended, or another input)
     */
    public String start(String logicalName, String executionName, String input) {
        try {
            return sfn.startExecution(b -> b.stateMachineArn(arn(logicalName)).name(executionName).input(input))
                    .executionArn();
        } catch (ExecutionAlreadyExistsException e) {
            LOG.info("Execution {} of {} exists already (ended, or running with another input); not started again",
                    executionName, logicalName);
            return null;
        }
    }
}
