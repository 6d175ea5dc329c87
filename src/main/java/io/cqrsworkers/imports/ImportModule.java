package io.cqrsworkers.imports;

import io.cqrsworkers.aws.AwsClients;
import io.cqrsworkers.command.CommandModule;
import org.apache.camel.CamelContext;

import java.util.concurrent.ExecutorService;

/** The import module's parts, built once per Camel context (like {@link CommandModule}). */
public final class ImportModule {

    private static final String BEAN = "importModule";

    private final ImportJobs jobs;
    private final CsvRowsHandler rows;
    private final FinalizeParentJob finalizer;
    private final DirectImport direct;
    private final ExecutorService runs;

    private ImportModule(CamelContext context) {
        AwsClients aws = context.getRegistry().lookupByNameAndType("awsClients", AwsClients.class);
        jobs = new ImportJobs(aws.dynamoDb(), context.resolvePropertyPlaceholders("{{table:import_tmp}}"));
        rows = new CsvRowsHandler(CommandModule.of(context).service(), jobs);
        finalizer = new FinalizeParentJob(jobs);
        int concurrency = Integer.parseInt(context.resolvePropertyPlaceholders("{{app.import.max-concurrency:50}}"));
        int batchSize = Integer.parseInt(context.resolvePropertyPlaceholders("{{app.import.max-items-per-batch:100}}"));
        ExecutorService batches = context.getExecutorServiceManager()
                .newFixedThreadPool(this, "import-batches", concurrency);
        direct = new DirectImport(aws.s3(), rows, finalizer, batches, batchSize, concurrency);
        runs = context.getExecutorServiceManager().newCachedThreadPool(this, "import-runs");
    }

    public static synchronized ImportModule of(CamelContext context) {
        ImportModule module = context.getRegistry().lookupByNameAndType(BEAN, ImportModule.class);
        if (module == null) {
            module = new ImportModule(context);
            context.getRegistry().bind(BEAN, module);
        }
        return module;
    }

    public ImportJobs jobs() {
        return jobs;
    }

    public CsvRowsHandler rows() {
        return rows;
    }

    public FinalizeParentJob finalizer() {
        return finalizer;
    }

    public DirectImport direct() {
        return direct;
    }

    /** Where whole DIRECT runs go, so the API answers at once. */
    public ExecutorService runs() {
        return runs;
    }
}
