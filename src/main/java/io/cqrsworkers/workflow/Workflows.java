package io.cqrsworkers.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.json.Jackson;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.aws2.stepfunctions.StepFunctions2Constants;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;

import java.util.Optional;
import java.util.UUID;

/**
 * Starts and describes executions of any state machine in infra/resources.yaml, by logical name: the user-defined
 * workflows (the API and {@code direct:workflow-start}) as much as the built-in machines. Starts go through the
 * shared route {@value StartExecution#URI}, DescribeExecution through {@code aws2-step-functions}.
 */
public final class Workflows {

    private static final ObjectMapper JSON = Jackson.MAPPER;

    /** The registry name of the one instance (bound by {@link WorkflowConfiguration}). */
    public static final String BEAN = "workflows";
    private static final String DESCRIBE = "aws2-step-functions:workflows?operation=describeExecution";

    private final StateMachines machines;
    private final ProducerTemplate template;

    public Workflows(StateMachines machines, CamelContext context) {
        this.machines = machines;
        this.template = context.createProducerTemplate();
    }

    /**
     * @param name the execution name (made valid and deterministic by {@link ExecutionNames}); null: a random one
     */
    public ObjectNode start(String machine, JsonNode input, String name) {
        machineArn(machine);
        String executionName = name == null || name.isBlank() ? UUID.randomUUID().toString()
                : ExecutionNames.of(name);
        Exchange started = template.request(StartExecution.URI, e -> {
            e.getMessage().setHeader(StartExecution.MACHINE, machine);
            e.getMessage().setHeader(StartExecution.NAME, executionName);
            e.getMessage().setBody(input.toString());
        });
        if (started.getException() != null) {
            throw started.getException() instanceof RuntimeException r ? r
                    : new IllegalStateException(started.getException());
        }
        String arn = started.getMessage().getBody(String.class);
        if (started.getMessage().getHeader(StartExecution.EXISTED, false, Boolean.class)) {
            throw new WorkflowException(409, "Execution " + executionName + " of " + machine
                    + " already exists with another input");
        }
        return JSON.createObjectNode().put("executionArn", arn).put("name", executionName);
    }

    public ObjectNode describe(String machine, String name) {
        machineArn(machine);
        String executionArn = machines.executionArn(machine, ExecutionNames.of(name));
        DescribeExecutionResponse execution = execution(executionArn)
                .orElseThrow(() -> new WorkflowException(404, "No execution " + name + " of " + machine));
        ObjectNode out = JSON.createObjectNode().put("executionArn", executionArn)
                .put("status", execution.statusAsString());
        try {
            if (execution.output() != null) {
                out.set("output", JSON.readTree(execution.output()));
            }
        } catch (Exception e) {
            out.put("output", execution.output());
        }
        if (execution.error() != null) {
            out.put("error", execution.error()).put("cause", execution.cause());
        }
        return out;
    }

    /** DescribeExecution; empty when there is no such execution (never started, or forgotten after its retention). */
    public Optional<DescribeExecutionResponse> execution(String executionArn) {
        Exchange described = template.request(DESCRIBE, e -> e.getMessage()
                .setHeader(StepFunctions2Constants.EXECUTION_ARN, executionArn));
        if (described.getException() instanceof ExecutionDoesNotExistException) {
            return Optional.empty();
        }
        if (described.getException() != null) {
            throw described.getException() instanceof RuntimeException r ? r
                    : new IllegalStateException(described.getException());
        }
        return Optional.of(described.getMessage().getBody(DescribeExecutionResponse.class));
    }

    private String machineArn(String machine) {
        try {
            return machines.arn(machine);
        } catch (IllegalStateException e) {
            throw new WorkflowException(404, "No state machine " + machine);
        }
    }
}
