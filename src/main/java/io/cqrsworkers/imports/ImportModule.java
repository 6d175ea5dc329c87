package io.cqrsworkers.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.aws.AwsClients;
import io.cqrsworkers.command.CommandModule;
import io.cqrsworkers.resources.ResourceDescription;
import io.cqrsworkers.workflow.StateMachines;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.Record;

import java.util.ArrayList;
import java.util.List;
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
    private static final Logger LOG = LoggerFactory.getLogger(ImportModule.class);

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

    /**
     * The import stream: an INSERT of an import row (CREATED, or QUEUED by an earlier delivery of the same record
     * whose message may not have been sent) becomes QUEUED, and its message is returned to be sent. Null for other
     * records, and for rows that have moved on or that their creator runs itself (written PROCESSING).
     */
    public String queue(Record record) {
        String pk = record.dynamodb().keys().get("pk").s();
        String sk = record.dynamodb().keys().get("sk").s();
        if (!"INSERT".equals(record.eventNameAsString())
                || !(pk.startsWith(ImportJobs.CSV_PREFIX) || pk.startsWith(ImportJobs.SINGLE_PREFIX))) {
            return null;
        }
        String id = pk + "#" + sk;
        // QUEUED already: announced before, the message is sent (again) without a second announcement
        boolean queued = jobs.status(id, ImportStatus.QUEUED, null, ImportStatus.CREATED)
                || jobs.get(id).filter(job -> ImportStatus.QUEUED.name().equals(job.path("status").asText()))
                .isPresent();
        return queued ? queued(pk, sk).toString() : null;
    }

    /** The stream's message for a new import row. */
    public static ObjectNode queued(String pk, String sk) {
        return JSON.createObjectNode().put("action", IMPORT_ROW).put("pk", pk).put("sk", sk);
    }

    /**
     * A message of the import action queue: an import row to run, or a batch of CSV rows to apply. When it fails,
     * the reason is kept for {@link #deadLetter}, and it is thrown: the queue delivers the message again.
     *
     * @param messageId the SQS message id (the same on every delivery of a message)
     */
    public void handle(JsonNode message, String messageId) {
        String action = message.path("action").asText();
        try {
            if (ImportActionQueue.CSV_BATCH.equals(action)) {
                batches.process(message, messageId);
                return;
            }
            if (!IMPORT_ROW.equals(action)) {
                throw new IllegalArgumentException("Unknown import action '" + action + "'");
            }
            String id = message.path("pk").asText() + "#" + message.path("sk").asText();
            if (id.startsWith(ImportJobs.CSV_PREFIX)) {
                run(id, messageId);
            } else if (id.startsWith(ImportJobs.SINGLE_PREFIX)) {
                single.process(id, messageId);
            }
        } catch (RuntimeException e) {
            Mark mark = Mark.of(message, messageId);
            if (mark != null) {
                jobs.deliveryFailed(mark.jobId(), mark.name(), e.toString());
            }
            throw e;
        }
    }

    /**
     * A message that failed every delivery and reached the import action queue's DLQ: its job must not stay
     * PROCESSING. A {@code csv-batch-process} message's rows are counted as failed (once, under its batchKey) with
     * the last error; a CSV job's start message ends its reader (the rows read are the total, the job ends FAILED);
     * a single-row import is FAILED. Anything else is logged at ERROR with its content.
     */
    public void deadLetter(String body, String messageId) {
        JsonNode message;
        try {
            message = JSON.readTree(body);
        } catch (Exception e) {
            LOG.error("Dead import action message is not JSON, dropped: {}", body);
            return;
        }
        Mark mark = Mark.of(message, messageId);
        if (mark == null) {
            LOG.error("Dead import action message names no import, dropped: {}", body);
            return;
        }
        String reason = "the message reached " + ACTION_QUEUE + "-dlq after failing every delivery"
                + jobs.lastFailure(mark.jobId(), mark.name()).map(error -> "; last error: " + error).orElse("");
        LOG.warn("Import {}: {}", mark.jobId(), reason);
        if (ImportActionQueue.CSV_BATCH.equals(message.path("action").asText())) {
            List<RowError> errors = new ArrayList<>();
            JsonNode items = message.path("items");
            for (int i = 0; i < items.size(); i++) {
                errors.add(new RowError(0, CsvRowsHandler.label(i, items.get(i)) + " of message " + mark.name()
                        + ": not applied: " + reason));
            }
            jobs.count(mark.jobId(), mark.name(), new ImportJobs.Counts(0, 0, 0, errors.size(), errors));
        } else if (mark.jobId().startsWith(ImportJobs.CSV_PREFIX)) {
            jobs.readerFailed(mark.jobId(), reason);
        } else {
            ObjectNode result = JSON.createObjectNode();
            result.putObject("error").put("message", reason);
            jobs.status(mark.jobId(), ImportStatus.FAILED, result, ImportStatus.QUEUED, ImportStatus.PROCESSING);
        }
    }

    /** The job a message belongs to, and the name its failures are kept under. */
    private record Mark(String jobId, String name) {
        static Mark of(JsonNode message, String messageId) {
            if (ImportActionQueue.CSV_BATCH.equals(message.path("action").asText())) {
                String job = message.path("sourceId").asText("");
                return job.startsWith(ImportJobs.CSV_PREFIX)
                        ? new Mark(job, message.path("batchKey").asText(messageId)) : null;
            }
            String id = message.path("pk").asText() + "#" + message.path("sk").asText();
            return id.startsWith(ImportJobs.CSV_PREFIX) || id.startsWith(ImportJobs.SINGLE_PREFIX)
                    ? new Mark(id, "start") : null;
        }
    }

    /**
     * Runs a queued CSV job: DIRECT reads the file here, while its message is held; STEP_FUNCTION starts import-csv
     * with the request (and the job id as sourceId) as input. A message that comes back for a job it claimed
     * resumes it: DIRECT after a stop reads on, a STEP_FUNCTION start that failed transiently is retried (the
     * execution's name is the job's, so it is never started twice). Another message for the same job is ignored.
     * A start refused for good fails the job.
     */
    private void run(String id, String messageId) {
        ObjectNode before = jobs.claim(id, messageId).orElse(null);
        if (before == null) {
            LOG.info("Start message {} of import {} ignored: the job has ended or another message runs it",
                    messageId, id);
            return;
        }
        boolean first = ImportStatus.QUEUED.name().equals(before.path("status").asText());
        ImportRequest request = ImportRequest.fromAttributes(before.path("attributes")).withSourceId(id);
        boolean stepFunction = "STEP_FUNCTION".equals(request.processingMode());
        try {
            if (stepFunction) {
                String name = (request.tenantCode() + "-" + before.get("sk").asText()).replaceAll("[^A-Za-z0-9_-]", "-");
                machines.start(MACHINE, name.length() > 80 ? name.substring(name.length() - 80) : name,
                        request.toJson().toString());
            } else {
                direct.run(request, !first, batch -> { });
            }
        } catch (DirectImport.StoppedException e) {
            throw e;
        } catch (RuntimeException e) {
            if (RowFailures.isTransient(e)) {
                throw e;
            }
            finalizer.failed(id, "Import.StartFailed", String.valueOf(e.getMessage()));
        }
    }
}
