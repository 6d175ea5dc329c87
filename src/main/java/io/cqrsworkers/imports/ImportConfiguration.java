package io.cqrsworkers.imports;

import io.cqrsworkers.command.CommandService;
import io.cqrsworkers.command.CommandStore;
import io.cqrsworkers.notification.Notifier;
import io.cqrsworkers.resources.ResourceDescription;
import io.cqrsworkers.workflow.ExecutionWatch;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.StartupListener;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.util.function.Supplier;

/**
 * The CSV import pipeline's beans, bound once (camel-main: {@code camel.main.configuration-classes}). Lazy: they need
 * the AWS clients that {@code AppConfiguration} binds while it configures the context, and the command pipeline's
 * beans. The routes ({@link ImportApiRoutes}, {@link ImportStreamRoutes}, {@link ImportActionRoutes},
 * {@link DirectImportRoutes}, {@link ImportStepRoutes}) reach them by name.
 */
public class ImportConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        // DIRECT mode's batches: max-concurrency at once, and at most as many waiting; when all are taken the reader
        // runs the next batch itself, so it stops reading (back-pressure)
        int concurrency = Integer.parseInt(context.resolvePropertyPlaceholders("{{app.import.max-concurrency:50}}"));
        ThreadPoolProfile pool = new ThreadPoolProfile(DirectImport.POOL);
        pool.setPoolSize(concurrency);
        pool.setMaxPoolSize(concurrency);
        pool.setMaxQueueSize(concurrency);
        pool.setRejectedPolicy(ThreadPoolRejectedPolicy.CallerRuns);
        context.getExecutorServiceManager().registerThreadPoolProfile(pool);
        // the ZIP orchestrator's executions that end without finalize_zip_job (stopped, timed out) end their job
        context.addStartupListener((StartupListener) (started, alreadyStarted) -> started.getRegistry()
                .lookupByNameAndType(ExecutionWatch.BEAN, ExecutionWatch.class).owner(ZipOrchestration.MACHINE,
                        started.getRegistry().lookupByNameAndType(ZipOrchestration.BEAN, ZipOrchestration.class)));
    }

    @BindToRegistry(value = ImportJobs.BEAN, lazy = true)
    public ImportJobs importJobs(CamelContext context, @BeanInject("dynamoDbClient") DynamoDbClient dynamoDb,
                                 Notifier notifier) {
        return new ImportJobs(dynamoDb, context.resolvePropertyPlaceholders("{{table:" + ImportActions.TABLE + "}}"),
                notifier);
    }

    @BindToRegistry(value = ImportStrategies.BEAN, lazy = true)
    public ImportStrategies importStrategies(CamelContext context, CommandStore store) {
        return new ImportStrategies(context, store);
    }

    @BindToRegistry(value = ImportActionQueue.BEAN, lazy = true)
    public ImportActionQueue importActionQueue(@BeanInject("sqsClient") SqsClient sqs,
                                               @PropertyInject("app.prefix") String prefix) {
        String name = ResourceDescription.physical(prefix, ImportActions.ACTION_QUEUE);
        // resolved on first use: the queue exists by then in every profile
        Supplier<String> url = new Supplier<>() {
            private volatile String value;

            @Override
            public String get() {
                if (value == null) {
                    value = sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
                }
                return value;
            }
        };
        return new ImportActionQueue(sqs, url);
    }

    @BindToRegistry(value = RowImporter.BEAN, lazy = true)
    public RowImporter rowImporter(@BeanInject(ImportStrategies.BEAN) ImportStrategies strategies,
                                   CommandService commands) {
        return new RowImporter(strategies, commands);
    }

    @BindToRegistry(value = CsvRowsHandler.BEAN, lazy = true)
    public CsvRowsHandler csvRowsHandler(@BeanInject(ImportStrategies.BEAN) ImportStrategies strategies,
                                         @BeanInject(ImportActionQueue.BEAN) ImportActionQueue queue,
                                         @BeanInject(ImportJobs.BEAN) ImportJobs jobs) {
        return new CsvRowsHandler(strategies, queue, jobs);
    }

    @BindToRegistry(value = CsvBatchProcessor.BEAN, lazy = true)
    public CsvBatchProcessor csvBatchProcessor(@BeanInject(RowImporter.BEAN) RowImporter importer,
                                               @BeanInject(ImportJobs.BEAN) ImportJobs jobs) {
        return new CsvBatchProcessor(importer, jobs);
    }

    @BindToRegistry(value = SingleImport.BEAN, lazy = true)
    public SingleImport singleImport(@BeanInject(ImportStrategies.BEAN) ImportStrategies strategies,
                                     @BeanInject(RowImporter.BEAN) RowImporter importer,
                                     @BeanInject(ImportJobs.BEAN) ImportJobs jobs) {
        return new SingleImport(strategies, importer, jobs);
    }

    @BindToRegistry(value = FinalizeParentJob.BEAN, lazy = true)
    public FinalizeParentJob finalizeParentJob(@BeanInject(ImportJobs.BEAN) ImportJobs jobs) {
        return new FinalizeParentJob(jobs);
    }

    @BindToRegistry(value = ImportActions.BEAN, lazy = true)
    public ImportActions importActions(@BeanInject(ImportJobs.BEAN) ImportJobs jobs,
                                       @BeanInject(FinalizeParentJob.BEAN) FinalizeParentJob finalizer) {
        return new ImportActions(jobs, finalizer);
    }

    @BindToRegistry(value = DirectImport.BEAN, lazy = true)
    public DirectImport directImport(@BeanInject(ImportJobs.BEAN) ImportJobs jobs,
                                     @BeanInject(FinalizeParentJob.BEAN) FinalizeParentJob finalizer,
                                     @PropertyInject(value = "app.import.max-pending-rows",
                                             defaultValue = "100000") long maxPendingRows) {
        return new DirectImport(jobs, finalizer, maxPendingRows);
    }

    @BindToRegistry(value = ZipJobs.BEAN, lazy = true)
    public ZipJobs zipJobs(CamelContext context, @BeanInject("dynamoDbClient") DynamoDbClient dynamoDb,
                           @BeanInject(ImportJobs.BEAN) ImportJobs jobs) {
        return new ZipJobs(dynamoDb, context.resolvePropertyPlaceholders("{{table:" + ImportActions.TABLE + "}}"),
                jobs);
    }

    @BindToRegistry(value = ZipImportApi.BEAN, lazy = true)
    public ZipImportApi zipImportApi(@BeanInject(ZipJobs.BEAN) ZipJobs zipJobs) {
        return new ZipImportApi(zipJobs);
    }

    @BindToRegistry(value = ZipUnpack.BEAN, lazy = true)
    public ZipUnpack zipUnpack(@BeanInject(ImportJobs.BEAN) ImportJobs jobs, @BeanInject(ZipJobs.BEAN) ZipJobs zipJobs,
                               @BeanInject(ExecutionWatch.BEAN) ExecutionWatch watch,
                               @PropertyInject(value = "app.import.zip.max-entries", defaultValue = "1000")
                               int maxEntries,
                               @PropertyInject(value = "app.import.zip.max-unpacked-bytes",
                                       defaultValue = "2147483648") long maxUnpackedBytes) {
        return new ZipUnpack(jobs, zipJobs, new ZipLimits(maxEntries, maxUnpackedBytes), watch);
    }

    @BindToRegistry(value = ZipOrchestration.BEAN, lazy = true)
    public ZipOrchestration zipOrchestration(@BeanInject(ImportJobs.BEAN) ImportJobs jobs,
                                             @BeanInject(ZipJobs.BEAN) ZipJobs zipJobs,
                                             @BeanInject(ExecutionWatch.BEAN) ExecutionWatch watch) {
        return new ZipOrchestration(jobs, zipJobs, watch);
    }

    @BindToRegistry(value = ImportApi.BEAN, lazy = true)
    public ImportApi importApi(@BeanInject(ImportJobs.BEAN) ImportJobs jobs) {
        return new ImportApi(jobs);
    }
}
