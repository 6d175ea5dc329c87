package io.cqrsworkers.imports;

import io.cqrsworkers.aws.AwsClients;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.command.CommandModule;
import io.cqrsworkers.workflow.StateMachines;
import org.apache.camel.CamelContext;

import java.util.concurrent.ExecutorService;

/** The import module's parts, built once per Camel context (like {@link CommandModule}). */
public final class ImportModule {

    private static final String BEAN = "importModule";
    /** The state machine of STEP_FUNCTION mode, in infra/resources.yaml. */
    public static final String MACHINE = "import-csv";

    private final ImportJobs jobs;
    private final CsvRowsHandler rows;
    private final FinalizeParentJob finalizer;
    private final DirectImport direct;
    private final ExecutorService runs;
    private final StateMachines machines;

    private ImportModule(CamelContext context) {
        AwsClients aws = context.getRegistry().lookupByNameAndType("awsClients", AwsClients.class);
        CommandModule commands = CommandModule.of(context);
        jobs = new ImportJobs(aws.dynamoDb(), context.resolvePropertyPlaceholders("{{table:import_tmp}}"),
                commands.notifier());
        rows = new CsvRowsHandler(commands.service(), jobs);
        finalizer = new FinalizeParentJob(jobs);
        int concurrency = Integer.parseInt(context.resolvePropertyPlaceholders("{{app.import.max-concurrency:50}}"));
        int batchSize = Integer.parseInt(context.resolvePropertyPlaceholders("{{app.import.max-items-per-batch:100}}"));
        ExecutorService batches = context.getExecutorServiceManager()
                .newFixedThreadPool(this, "import-batches", concurrency);
        direct = new DirectImport(aws.s3(), rows::handle, finalizer, batches, batchSize, concurrency);
        runs = context.getExecutorServiceManager().newCachedThreadPool(this, "import-runs");
        machines = new StateMachines(aws.sfn(), context.resolvePropertyPlaceholders("{{app.prefix}}"));
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

    /**
     * Creates the job and starts it: DIRECT runs in the background here, STEP_FUNCTION starts import-csv with the
     * request (and the job id as sourceId) as input.
     */
    public ObjectNode start(ImportRequest request) {
        ObjectNode job = jobs.create(request);
        ImportRequest withJob = request.withSourceId(job.get("id").asText());
        if ("STEP_FUNCTION".equals(request.processingMode())) {
            String name = (request.tenantCode() + "-" + job.get("sk").asText()).replaceAll("[^A-Za-z0-9_-]", "-");
            machines.start(MACHINE, name.length() > 80 ? name.substring(name.length() - 80) : name,
                    withJob.toJson().toString());
        } else {
            runs.execute(() -> direct.run(withJob, batch -> { }));
        }
        return job;
    }
}
