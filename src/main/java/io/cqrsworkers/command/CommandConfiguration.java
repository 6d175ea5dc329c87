package io.cqrsworkers.command;

import io.cqrsworkers.callback.TaskCallbacks;
import io.cqrsworkers.notification.Notifier;
import io.cqrsworkers.resources.ResourceDescription;
import io.cqrsworkers.workflow.ExecutionWatch;
import io.cqrsworkers.workflow.StateMachines;
import io.cqrsworkers.workflow.Workflows;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.StartupListener;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The command pipeline's beans, bound once by name (the constants next to each class). Lazy: they need the AWS
 * clients, which the application's configuration binds when it is configured, after every configuration class's
 * beans are declared. Other packages use {@link CommandStore}, {@link CommandService} and {@link Notifier} from here.
 */
public class CommandConfiguration implements CamelConfiguration {

    private static final String PREFIX = "app.prefix";

    @Override
    public void configure(CamelContext context) throws Exception {
        // the watch tells CommandExecutionEnds about command executions that ended abnormally; registered before the
        // routes (the watch's sweep among them) start, when every bean can be built
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarting(CamelContext c, boolean alreadyStarted) {
                c.getRegistry().lookupByNameAndType(ExecutionWatch.BEAN, ExecutionWatch.class).owner(
                        CommandWorkerRoutes.MACHINE,
                        c.getRegistry().lookupByNameAndType(CommandExecutionEnds.BEAN, CommandExecutionEnds.class));
            }

            @Override
            public void onCamelContextStarted(CamelContext c, boolean alreadyStarted) {
            }
        });
    }

    @BindToRegistry(value = CommandTables.BEAN, lazy = true)
    public CommandTables commandTables(@PropertyInject(PREFIX) String prefix) {
        return new CommandTables(prefix, ResourceDescription.load().modules());
    }

    @BindToRegistry(value = CommandStore.BEAN, lazy = true)
    public CommandStore commandStore(@BeanInject("dynamoDbClient") DynamoDbClient dynamoDb,
                                     @BeanInject(CommandTables.BEAN) CommandTables tables) {
        return new CommandStore(dynamoDb, tables);
    }

    @BindToRegistry(value = TtlService.BEAN, lazy = true)
    public TtlService ttlService(@BeanInject(CommandStore.BEAN) CommandStore store,
                                 @PropertyInject(value = "app.command.ttl-settings-cache-seconds", defaultValue = "10")
                                 long cacheSeconds) {
        return new TtlService(store, Clock.systemUTC(), Duration.ofSeconds(cacheSeconds));
    }

    @BindToRegistry(value = LargeAttributes.BEAN, lazy = true)
    public LargeAttributes largeAttributes(@BeanInject("s3Client") S3Client s3, @PropertyInject(PREFIX) String prefix,
                                           @PropertyInject(value = "app.command.attribute-limit-bytes",
                                                   defaultValue = "102400") int limitBytes) {
        return new LargeAttributes(s3, ResourceDescription.physical(prefix, ResourceDescription.load().bucket()),
                limitBytes);
    }

    @BindToRegistry(value = Notifier.BEAN, lazy = true)
    public Notifier notifier(@BeanInject("sqsClient") SqsClient sqs, @PropertyInject(PREFIX) String prefix) {
        return new Notifier(sqs, queueUrl(sqs, prefix, "notification-queue"), queueUrl(sqs, prefix, "alarm-queue"));
    }

    @BindToRegistry(value = DataSync.BEAN, lazy = true)
    public DataSync dataSync(@BeanInject(CommandStore.BEAN) CommandStore store,
                             @BeanInject(TtlService.BEAN) TtlService ttl) {
        return new DataSync(store, ttl);
    }

    @BindToRegistry(value = CommandService.BEAN, lazy = true)
    public CommandService commandService(@BeanInject(CommandStore.BEAN) CommandStore store,
                                         @BeanInject(TtlService.BEAN) TtlService ttl,
                                         @BeanInject(LargeAttributes.BEAN) LargeAttributes attributes,
                                         @BeanInject(DataSync.BEAN) DataSync dataSync) {
        return new CommandService(store, ttl, attributes, dataSync);
    }

    @BindToRegistry(value = CommandApi.BEAN, lazy = true)
    public CommandApi commandApi(@BeanInject(CommandService.BEAN) CommandService service,
                                 @BeanInject(CommandStore.BEAN) CommandStore store,
                                 @BeanInject(CommandTables.BEAN) CommandTables tables) {
        return new CommandApi(service, store, tables);
    }

    @BindToRegistry(value = SyncHandlers.BEAN, lazy = true)
    public SyncHandlers syncHandlers(CamelContext context) {
        return new SyncHandlers(key -> context.getPropertiesComponent().resolveProperty(key).orElse(null));
    }

    @BindToRegistry(value = CommandStatus.BEAN, lazy = true)
    public CommandStatus commandStatus(@BeanInject(CommandStore.BEAN) CommandStore store,
                                       @BeanInject(Notifier.BEAN) Notifier notifier) {
        return new CommandStatus(store, notifier);
    }

    @BindToRegistry(value = CommandSteps.BEAN, lazy = true)
    public CommandSteps commandSteps(@BeanInject(CommandTables.BEAN) CommandTables tables,
                                     @BeanInject(CommandStatus.BEAN) CommandStatus status,
                                     @BeanInject(Notifier.BEAN) Notifier notifier) {
        return new CommandSteps(tables, status, notifier);
    }

    @BindToRegistry(value = CommandStarts.BEAN, lazy = true)
    public CommandStarts commandStarts(@BeanInject(CommandTables.BEAN) CommandTables tables,
                                       @BeanInject("dynamoDbClient") DynamoDbClient dynamoDb,
                                       @BeanInject(ExecutionWatch.BEAN) ExecutionWatch watch) {
        return new CommandStarts(tables, dynamoDb, watch);
    }

    @BindToRegistry(value = CommandExecutionEnds.BEAN, lazy = true)
    public CommandExecutionEnds commandExecutionEnds(@BeanInject(CommandStore.BEAN) CommandStore store,
                                                     @BeanInject(CommandStatus.BEAN) CommandStatus status,
                                                     @BeanInject(Notifier.BEAN) Notifier notifier,
                                                     @BeanInject("taskCallbacks") TaskCallbacks callbacks,
                                                     @BeanInject(Workflows.BEAN) Workflows workflows,
                                                     @BeanInject(StateMachines.BEAN) StateMachines machines) {
        return new CommandExecutionEnds(store, status, notifier, callbacks, workflows, machines);
    }

    @BindToRegistry(value = CheckVersion.BEAN, lazy = true)
    public CheckVersion checkVersion(@BeanInject(CommandStore.BEAN) CommandStore store,
                                     @BeanInject(Notifier.BEAN) Notifier notifier) {
        return new CheckVersion(store, notifier);
    }

    @BindToRegistry(value = WaitPrevCommand.BEAN, lazy = true)
    public WaitPrevCommand waitPrevCommand(@BeanInject(CommandStore.BEAN) CommandStore store,
                                           @BeanInject("taskCallbacks") TaskCallbacks callbacks,
                                           @BeanInject(Notifier.BEAN) Notifier notifier,
                                           @BeanInject(CommandExecutionEnds.BEAN) CommandExecutionEnds ends) {
        return new WaitPrevCommand(store, callbacks, notifier, ends);
    }

    @BindToRegistry(value = WaitPrevCommandFailed.BEAN, lazy = true)
    public WaitPrevCommandFailed waitPrevCommandFailed(@BeanInject(CommandStore.BEAN) CommandStore store,
                                                       @BeanInject(Notifier.BEAN) Notifier notifier) {
        return new WaitPrevCommandFailed(store, notifier);
    }

    @BindToRegistry(value = SetTtlCommand.BEAN, lazy = true)
    public SetTtlCommand setTtlCommand(@BeanInject(CommandStore.BEAN) CommandStore store,
                                       @BeanInject(TtlService.BEAN) TtlService ttl) {
        return new SetTtlCommand(store, ttl);
    }

    @BindToRegistry(value = HistoryCopy.BEAN, lazy = true)
    public HistoryCopy historyCopy(@BeanInject(DataSync.BEAN) DataSync dataSync) {
        return new HistoryCopy(dataSync);
    }

    @BindToRegistry(value = TransformData.BEAN, lazy = true)
    public TransformData transformData(@BeanInject(SyncHandlers.BEAN) SyncHandlers handlers) {
        return new TransformData(handlers);
    }

    @BindToRegistry(value = SyncData.BEAN, lazy = true)
    public SyncData syncData(@BeanInject(SyncHandlers.BEAN) SyncHandlers handlers,
                             @BeanInject(LargeAttributes.BEAN) LargeAttributes attributes) {
        return new SyncData(handlers, attributes);
    }

    @BindToRegistry(SyncHandlerCall.BEAN)
    public SyncHandlerCall syncHandlerCall() {
        return new SyncHandlerCall();
    }

    @BindToRegistry(value = Finish.BEAN, lazy = true)
    public Finish finishCommand(@BeanInject(CommandStore.BEAN) CommandStore store,
                                @BeanInject("taskCallbacks") TaskCallbacks callbacks,
                                @BeanInject(Notifier.BEAN) Notifier notifier,
                                @BeanInject(ExecutionWatch.BEAN) ExecutionWatch watch) {
        return new Finish(store, callbacks, notifier, watch);
    }

    /** Resolved on first use: the queues exist by then in every profile. */
    private static Supplier<String> queueUrl(SqsClient sqs, String prefix, String queue) {
        return new Supplier<>() {
            private volatile String url;

            @Override
            public String get() {
                if (url == null) {
                    url = sqs.getQueueUrl(b -> b.queueName(ResourceDescription.physical(prefix, queue))).queueUrl();
                }
                return url;
            }
        };
    }
}
