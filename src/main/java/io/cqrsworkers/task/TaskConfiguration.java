package io.cqrsworkers.task;

import io.cqrsworkers.callback.TaskCallbacks;
import io.cqrsworkers.notification.Notifier;
import io.cqrsworkers.resources.ResourceDescription;
import io.cqrsworkers.workflow.ExecutionWatch;
import io.cqrsworkers.workflow.StateMachines;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.StartupListener;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;


/**
 * The task pipeline's beans, bound once (listed in camel.main.configuration-classes). They are lazy: they need the
 * AWS clients that AppConfiguration binds in its configure, which runs after these are declared.
 */
public class TaskConfiguration implements CamelConfiguration {

    /** The tasks table (logical name). */
    public static final String TABLE = "tasks";

    @BindToRegistry(value = TaskStore.BEAN, lazy = true)
    public TaskStore taskStore(@BeanInject("dynamoDbClient") DynamoDbClient dynamo,
                               @PropertyInject("app.prefix") String prefix) {
        return new TaskStore(dynamo, ResourceDescription.physical(prefix, TABLE));
    }

    @BindToRegistry(value = TaskService.BEAN, lazy = true)
    public TaskService taskService(@BeanInject(TaskStore.BEAN) TaskStore store,
                                   @BeanInject(Notifier.BEAN) Notifier notifier, CamelContext context) {
        return new TaskService(store, notifier, context.createProducerTemplate());
    }

    @BindToRegistry(value = TaskHandlers.BEAN, lazy = true)
    public TaskHandlers taskHandlers(CamelContext context) {
        return new TaskHandlers(context);
    }

    @BindToRegistry(value = TaskRunner.BEAN, lazy = true)
    public TaskRunner taskRunner(@BeanInject(TaskService.BEAN) TaskService service,
                                 @BeanInject(TaskHandlers.BEAN) TaskHandlers handlers,
                                 @BeanInject(StateMachines.BEAN) StateMachines machines,
                                 @BeanInject(ExecutionWatch.BEAN) ExecutionWatch watch) {
        return new TaskRunner(service, handlers, machines, watch);
    }

    @BindToRegistry(value = SubTaskRunner.BEAN, lazy = true)
    public SubTaskRunner subTaskRunner(@BeanInject(TaskService.BEAN) TaskService service,
                                       @BeanInject(TaskHandlers.BEAN) TaskHandlers handlers) {
        return new SubTaskRunner(service, handlers);
    }

    @BindToRegistry(value = RollUp.BEAN, lazy = true)
    public RollUp taskRollUp(@BeanInject(TaskService.BEAN) TaskService service) {
        return new RollUp(service);
    }

    @BindToRegistry(value = TaskExecutionEnds.BEAN, lazy = true)
    public TaskExecutionEnds taskExecutionEnds(@BeanInject(TaskService.BEAN) TaskService service) {
        return new TaskExecutionEnds(service);
    }

    @BindToRegistry(value = Approvals.BEAN, lazy = true)
    public Approvals approvals(@BeanInject(TaskService.BEAN) TaskService service,
                               @BeanInject("taskCallbacks") TaskCallbacks callbacks) {
        return new Approvals(service, callbacks);
    }

    @BindToRegistry(TaskApi.BEAN)
    public TaskApi taskApi() {
        return new TaskApi();
    }

    /** The watch hears of task executions that ended abnormally before its first sweep (a timer after the start). */
    @Override
    public void configure(CamelContext context) throws Exception {
        context.addStartupListener((StartupListener) (started, alreadyStarted) -> started.getRegistry()
                .lookupByNameAndType(ExecutionWatch.BEAN, ExecutionWatch.class).owner(TaskRunner.MACHINE,
                        started.getRegistry().lookupByNameAndType(TaskExecutionEnds.BEAN, TaskExecutionEnds.class)));
    }
}
