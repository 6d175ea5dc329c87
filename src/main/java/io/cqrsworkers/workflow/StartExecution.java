package io.cqrsworkers.workflow;

/**
 * The one route that starts executions, {@value #URI}: every pipeline sends its execution input (body, JSON text)
 * there with the machine's logical name in {@value #MACHINE} and a deterministic execution name in {@value #NAME}.
 * It calls StartExecution through {@code aws2-step-functions}. The reply body is the execution ARN; header
 * {@value #EXISTED} is true when an execution of that name existed already (a redelivered event, or a name reused
 * with another input: Step Functions refuses it with ExecutionAlreadyExists), and the ARN is then the existing one's.
 */
public final class StartExecution {

    public static final String URI = "direct:start-execution";
    public static final String MACHINE = "CqrsStateMachine";
    public static final String NAME = "CqrsExecutionName";
    public static final String EXISTED = "CqrsExecutionExisted";

    private StartExecution() {
    }
}
