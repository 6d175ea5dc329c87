package io.cqrsworkers.command;

import io.cqrsworkers.aws.AwsClients;
import io.cqrsworkers.callback.TaskCallbacks;
import io.cqrsworkers.command.steps.CheckVersion;
import io.cqrsworkers.command.steps.Finish;
import io.cqrsworkers.command.steps.HistoryCopy;
import io.cqrsworkers.command.steps.SetTtlCommand;
import io.cqrsworkers.command.steps.SyncData;
import io.cqrsworkers.command.steps.TransformData;
import io.cqrsworkers.command.steps.WaitPrevCommand;
import io.cqrsworkers.command.steps.WaitPrevCommandFailed;
import io.cqrsworkers.resources.ResourceDescription;
import io.cqrsworkers.workflow.ExecutionWatch;
import io.cqrsworkers.workflow.StateMachines;
import org.apache.camel.CamelContext;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/** The command pipeline's parts, built once per Camel context from its AWS clients and configuration. */
public final class CommandModule {

    private static final String BEAN = "commandModule";

    private final CommandTables tables;
    private final CommandService service;
    private final CommandWorker worker;
    private final DataSync dataSync;
    private final CommandStore store;
    private final LargeAttributes attributes;
    private final Notifier notifier;
    private final StateMachines machines;
    private final ExecutionWatch watch;
    private final CommandExecutionEnds ends;

    private CommandModule(CamelContext context) {
        AwsClients aws = context.getRegistry().lookupByNameAndType("awsClients", AwsClients.class);
        Function<String, String> config = key -> context.getPropertiesComponent().resolveProperty(key).orElse(null);
        String prefix = config.apply("app.prefix");
        ResourceDescription resources = ResourceDescription.load();
        tables = new CommandTables(prefix, resources.modules());
        store = new CommandStore(aws.dynamoDb(), tables);
        TtlService ttl = new TtlService(store, Clock.systemUTC(), Duration.ofSeconds(Long.parseLong(
                Optional.ofNullable(config.apply("app.command.ttl-settings-cache-seconds")).orElse("10"))));
        attributes = new LargeAttributes(aws.s3(), ResourceDescription.physical(prefix, resources.bucket()),
                Integer.parseInt(config.apply("app.command.attribute-limit-bytes") == null ? "102400"
                        : config.apply("app.command.attribute-limit-bytes")));
        notifier = new Notifier(aws.sqs(), queueUrl(aws, prefix, "notification-queue"),
                queueUrl(aws, prefix, "alarm-queue"));
        dataSync = new DataSync(store, ttl);
        service = new CommandService(store, ttl, attributes, dataSync);
        SyncHandlers handlers = new SyncHandlers(config);
        TaskCallbacks callbacks = new TaskCallbacks(aws.sfn());
        machines = new StateMachines(aws.sfn(), prefix);
        watch = ExecutionWatch.of(context);
        ends = new CommandExecutionEnds(store, notifier, callbacks, aws.sfn(), machines);
        watch.owner(CommandWorkerRoutes.MACHINE, ends);
        worker = new CommandWorker(List.of(
                new CheckVersion(store, notifier),
                new WaitPrevCommand(store, callbacks, notifier, ends),
                new WaitPrevCommandFailed(store, notifier),
                new SetTtlCommand(store, ttl),
                new HistoryCopy(dataSync),
                new TransformData(handlers),
                new SyncData(handlers, attributes, context.createProducerTemplate()),
                new Finish(store, callbacks, notifier, watch)),
                tables, new CommandStatus(store, notifier), notifier);
    }

    /** The module of this context, built on first use. */
    public static synchronized CommandModule of(CamelContext context) {
        CommandModule module = context.getRegistry().lookupByNameAndType(BEAN, CommandModule.class);
        if (module == null) {
            module = new CommandModule(context);
            context.getRegistry().bind(BEAN, module);
        }
        return module;
    }

    private static Supplier<String> queueUrl(AwsClients aws, String prefix, String queue) {
        // resolved on first use: the queues exist by then in every profile
        return new Supplier<>() {
            private volatile String url;

            @Override
            public String get() {
                if (url == null) {
                    url = aws.sqs().getQueueUrl(b -> b.queueName(ResourceDescription.physical(prefix, queue))).queueUrl();
                }
                return url;
            }
        };
    }

    public CommandTables tables() {
        return tables;
    }

    public CommandService service() {
        return service;
    }

    public CommandWorker worker() {
        return worker;
    }

    public DataSync dataSync() {
        return dataSync;
    }

    public CommandStore store() {
        return store;
    }

    /** Status notifications and alarms, also used by the import module. */
    public Notifier notifier() {
        return notifier;
    }

    public StateMachines machines() {
        return machines;
    }

    /** Starts watching a command's execution (see {@link CommandExecutionEnds}). */
    public void watch(String executionArn, String module, String pk, String sk) {
        watch.watch(executionArn, CommandExecutionEnds.subject(module, pk, sk));
    }

    public LargeAttributes attributes() {
        return attributes;
    }
}
