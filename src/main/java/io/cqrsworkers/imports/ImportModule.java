package io.cqrsworkers.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.aws.AwsClients;
import io.cqrsworkers.command.CommandModule;
import io.cqrsworkers.resources.ResourceDescription;
import io.cqrsworkers.workflow.StateMachines;
import org.apache.camel.CamelContext;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/** The import module's parts, built once per Camel context (like {@link CommandModule}). */
public final class ImportModule {

    private static final String BEAN = "importModule";
    /** The state machine of STEP_FUNCTION mode, in infra/resources.yaml. */
    public static final String MACHINE = "import-csv";
    public static final String TABLE = "import_tmp";
    public static final String ACTION_QUEUE = "import-action-queue";
    /** The import action queue's message for an import row (single row or CSV job). */
    public static final String IMPORT_ROW = "single-import-process";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ImportJobs jobs;
    private final ImportStrategies strategies;
    private final ImportActionQueue queue;
    private final CsvRowsHandler rows;
    private final CsvBatchProcessor batches;
    private final SingleImport single;
    private final FinalizeParentJob finalizer;
    private final DirectImport direct;
    private final StateMachines machines;

    private ImportModule(CamelContext context) {
        AwsClients aws = context.getRegistry().lookupByNameAndType("awsClients", AwsClients.class);
        Function<String, String> config = key -> context.getPropertiesComponent().resolveProperty(key).orElse(null);
        String prefix = config.apply("app.prefix");
        CommandModule commands = CommandModule.of(context);
        jobs = new ImportJobs(aws.dynamoDb(), context.resolvePropertyPlaceholders("{{table:" + TABLE + "}}"),
                commands.notifier());
        strategies = new ImportStrategies(context, config, commands.store());
        Map<String, String> url = new ConcurrentHashMap<>();
        // resolved on first use: the queue exists by then in every profile
        queue = new ImportActionQueue(aws.sqs(), () -> url.computeIfAbsent(ACTION_QUEUE, q -> aws.sqs()
                .getQueueUrl(b -> b.queueName(ResourceDescription.physical(prefix, q))).queueUrl()));
        RowImporter importer = new RowImporter(strategies, commands.service());
        rows = new CsvRowsHandler(strategies, queue, jobs);
        batches = new CsvBatchProcessor(importer, jobs);
        single = new SingleImport(strategies, importer, jobs);
        finalizer = new FinalizeParentJob(jobs);
        int concurrency = Integer.parseInt(context.resolvePropertyPlaceholders("{{app.import.max-concurrency:50}}"));
        int batchSize = Integer.parseInt(context.resolvePropertyPlaceholders("{{app.import.max-items-per-batch:100}}"));
        ExecutorService batchPool = context.getExecutorServiceManager()
                .newFixedThreadPool(this, "import-batches", concurrency);
        long maxPending = Long.parseLong(context.resolvePropertyPlaceholders("{{app.import.max-pending-rows:100000}}"));
        direct = new DirectImport(aws.s3(), rows::handle, finalizer, batchPool, batchSize, concurrency, jobs,
                maxPending);
        machines = new StateMachines(aws.sfn(), prefix);
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

    public ImportStrategies strategies() {
        return strategies;
    }

    public CsvRowsHandler rows() {
        return rows;
    }

    public CsvBatchProcessor batches() {
        return batches;
    }

    public FinalizeParentJob finalizer() {
        return finalizer;
    }

    public DirectImport direct() {
        return direct;
    }

    /** Writes a CREATED CSV job; its stream record queues it and the import action queue starts it. */
    public ObjectNode start(ImportRequest request) {
        return jobs.create(request, ImportStatus.CREATED);
    }

    /** Writes a CREATED single-row import; its stream record queues it and the import action queue applies it. */
    public ObjectNode importRow(String tableName, String tenantCode, JsonNode row) {
        return jobs.createSingle(tableName, tenantCode, row);
    }

    /** The stream's message for a new import row. */
    public static ObjectNode queued(String pk, String sk) {
        return JSON.createObjectNode().put("action", IMPORT_ROW).put("pk", pk).put("sk", sk);
    }

    /** A message of the import action queue: an import row to run, or a batch of CSV rows to apply. */
    public void handle(JsonNode message, String messageId) {
        String action = message.path("action").asText();
        if (ImportActionQueue.CSV_BATCH.equals(action)) {
            batches.process(message, messageId);
            return;
        }
        if (!IMPORT_ROW.equals(action)) {
            throw new IllegalArgumentException("Unknown import action '" + action + "'");
        }
        String id = message.path("pk").asText() + "#" + message.path("sk").asText();
        if (id.startsWith(ImportJobs.CSV_PREFIX)) {
            run(id);
        } else if (id.startsWith(ImportJobs.SINGLE_PREFIX)) {
            single.process(id);
        }
    }

    /**
     * Runs a queued CSV job: DIRECT reads the file here, while its message is held; STEP_FUNCTION starts import-csv
     * with the request (and the job id as sourceId) as input. A message that comes back for a job still PROCESSING
     * resumes it: DIRECT after a stop reads on, a STEP_FUNCTION start that failed transiently is retried (the
     * execution's name is the job's, so it is never started twice). A start refused for good fails the job.
     */
    private void run(String id) {
        boolean first = jobs.status(id, ImportStatus.PROCESSING, null, ImportStatus.QUEUED);
        ObjectNode job = jobs.get(id).orElseThrow();
        ImportRequest request = ImportRequest.fromAttributes(job.path("attributes")).withSourceId(id);
        boolean stepFunction = "STEP_FUNCTION".equals(request.processingMode());
        if (!first && !ImportStatus.PROCESSING.name().equals(job.path("status").asText())) {
            return;
        }
        try {
            if (stepFunction) {
                String name = (request.tenantCode() + "-" + job.get("sk").asText()).replaceAll("[^A-Za-z0-9_-]", "-");
                machines.start(MACHINE, name.length() > 80 ? name.substring(name.length() - 80) : name,
                        request.toJson().toString());
            } else {
                direct.run(request, !first, batch -> { });
            }
        } catch (RuntimeException e) {
            if (RowFailures.isTransient(e)) {
                throw e;
            }
            finalizer.failed(id, "Import.StartFailed", String.valueOf(e.getMessage()));
        }
    }
}
