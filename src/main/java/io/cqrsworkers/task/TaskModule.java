package io.cqrsworkers.task;

import io.cqrsworkers.aws.AwsClients;
import io.cqrsworkers.command.Notifier;
import io.cqrsworkers.resources.ResourceDescription;
import io.cqrsworkers.workflow.ExecutionWatch;
import io.cqrsworkers.workflow.StateMachines;
import org.apache.camel.CamelContext;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/** The task pipeline's parts, built once per Camel context from its AWS clients and configuration. */
public final class TaskModule {

    private static final String BEAN = "taskModule";
    public static final String TABLE = "tasks";

    private final TaskService service;
    private final TaskRunner runner;
    private final SubTaskRunner subTasks;
    private final RollUp rollUp;
    private final StateMachines machines;
    private final ExecutionWatch watch;
    private final TaskExecutionEnds executions;

    private TaskModule(CamelContext context) {
        AwsClients aws = context.getRegistry().lookupByNameAndType("awsClients", AwsClients.class);
        Function<String, String> config = key -> context.getPropertiesComponent().resolveProperty(key).orElse(null);
        String prefix = config.apply("app.prefix");
        Map<String, String> urls = new ConcurrentHashMap<>();
        // resolved on first use: the queues exist by then in every profile
        Function<String, Supplier<String>> queueUrl = queue -> () -> urls.computeIfAbsent(queue, q -> aws.sqs()
                .getQueueUrl(b -> b.queueName(ResourceDescription.physical(prefix, q))).queueUrl());
        Notifier notifier = new Notifier(aws.sqs(), queueUrl.apply("notification-queue"),
                queueUrl.apply("alarm-queue"));
        TaskStore store = new TaskStore(aws.dynamoDb(), ResourceDescription.physical(prefix, TABLE));
        service = new TaskService(store, notifier, aws.sqs(), queueUrl.apply("sub-task-status-queue"));
        TaskHandlers handlers = new TaskHandlers(context, config);
        machines = new StateMachines(aws.sfn(), prefix);
        subTasks = new SubTaskRunner(service, handlers);
        rollUp = new RollUp(service);
        executions = new TaskExecutionEnds(service);
        watch = ExecutionWatch.of(context);
        watch.owner(TaskRunner.MACHINE, executions);
        runner = new TaskRunner(service, handlers, machines, watch);
    }

    /** The module of this context, built on first use. */
    public static synchronized TaskModule of(CamelContext context) {
        TaskModule module = context.getRegistry().lookupByNameAndType(BEAN, TaskModule.class);
        if (module == null) {
            module = new TaskModule(context);
            context.getRegistry().bind(BEAN, module);
        }
        return module;
    }

    public TaskService service() {
        return service;
    }

    public TaskRunner runner() {
        return runner;
    }

    public SubTaskRunner subTasks() {
        return subTasks;
    }

    public RollUp rollUp() {
        return rollUp;
    }

    public StateMachines machines() {
        return machines;
    }

    public TaskExecutionEnds executions() {
        return executions;
    }

    /** The watch of every machine's executions (shared with the other pipelines). */
    public ExecutionWatch watch() {
        return watch;
    }
}
