package io.cqrsworkers.workflow;

import io.cqrsworkers.resources.ResourceDescription;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.StateMachineListItem;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The state machines' ARNs by logical name, looked up once (ListStateMachines), and the ARNs their executions get.
 * Executions start through {@link StartExecution#URI}.
 */
public final class StateMachines {

    /** The registry name of the one instance (bound by the application's configuration). */
    public static final String BEAN = "stateMachines";

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
}
