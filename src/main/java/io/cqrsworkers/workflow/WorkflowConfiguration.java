package io.cqrsworkers.workflow;

import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The workflow beans, bound once. Lazy: they need the AWS clients, which the application's configuration binds when
 * it is configured, after every configuration class's beans are declared.
 */
public class WorkflowConfiguration implements CamelConfiguration {

    @BindToRegistry(value = ExecutionWatch.BEAN, lazy = true)
    public ExecutionWatch executionWatch(@BeanInject("dynamoDbClient") DynamoDbClient dynamoDb,
                                         @PropertyInject("app.prefix") String prefix) {
        return new ExecutionWatch(dynamoDb, prefix);
    }

    @BindToRegistry(value = StepDispatch.BEAN, lazy = true)
    public StepDispatch stepDispatch(@PropertyInject("app.prefix") String prefix) {
        return new StepDispatch(prefix);
    }

    @BindToRegistry(value = Workflows.BEAN, lazy = true)
    public Workflows workflows(@BeanInject(StateMachines.BEAN) StateMachines machines, CamelContext context) {
        return new Workflows(machines, context);
    }
}
