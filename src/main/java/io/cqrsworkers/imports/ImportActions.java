package io.cqrsworkers.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.json.Jackson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.Record;

import java.util.ArrayList;
import java.util.List;

/**
 * The import action queue's bookkeeping, for {@link ImportRoutes}: queueing an import row from its stream record,
 * claiming a CSV job for its start message, keeping why a delivery failed, and ending the job of a message that
 * reached the dead-letter queue.
 */
public final class ImportActions {

    public static final String BEAN = "importActions";
    /** The state machine of STEP_FUNCTION mode, in infra/resources.yaml. */
    public static final String MACHINE = "import-csv";
    public static final String TABLE = "import_tmp";
    public static final String ACTION_QUEUE = "import-action-queue";
    /** The import action queue's message for an import row (single row or CSV job). */
    public static final String IMPORT_ROW = "single-import-process";
    /** What {@link #action} calls a ZIP job's start message (the Zip* classes). */
    public static final String ZIP_JOB = "zip-job";
    private static final Logger LOG = LoggerFactory.getLogger(ImportActions.class);

    private final ImportJobs jobs;
    private final FinalizeParentJob finalizer;

    public ImportActions(ImportJobs jobs, FinalizeParentJob finalizer) {
        this.jobs = jobs;
        this.finalizer = finalizer;
    }

    /**
     * The import stream: an INSERT of an import row (CREATED, or QUEUED by an earlier delivery of the same record
     * whose message may not have been sent) becomes QUEUED, and its message is returned to be sent. Null for other
     * records, and for rows that have moved on.
     */
    public String queue(Record record) {
        String pk = record.dynamodb().keys().get("pk").s();
        String sk = record.dynamodb().keys().get("sk").s();
        if (!"INSERT".equals(record.eventNameAsString())
                || !(pk.startsWith(ImportJobs.CSV_PREFIX) || pk.startsWith(ImportJobs.SINGLE_PREFIX)
                || pk.startsWith(ImportJobs.ZIP_PREFIX))) {
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
        return Jackson.MAPPER.createObjectNode().put("action", IMPORT_ROW).put("pk", pk).put("sk", sk);
    }

    /** What a message asks: {@code csv-batch-process}, or a CSV job or single-row import to run. */
    public String action(JsonNode message) {
        String action = message.path("action").asText();
        if (ImportActionQueue.CSV_BATCH.equals(action)) {
            return action;
        }
        if (IMPORT_ROW.equals(action)) {
            String id = rowId(message);
            if (id.startsWith(ImportJobs.CSV_PREFIX)) {
                return "csv-job";
            }
            if (id.startsWith(ImportJobs.SINGLE_PREFIX)) {
                return "single-row";
            }
            if (id.startsWith(ImportJobs.ZIP_PREFIX)) {
                return ZIP_JOB;
            }
        }
        throw new IllegalArgumentException("Unknown import action '" + action + "' in " + message);
    }

    /** The import row a {@code single-import-process} message names. */
    public String rowId(JsonNode message) {
        return message.path("pk").asText() + "#" + message.path("sk").asText();
    }

    /** A CSV job claimed by its start message: the request (the job id as sourceId), and whether it ran before. */
    public record Claim(ImportRequest request, boolean resume) {
    }

    /**
     * Claims a queued CSV job for the start message {@code messageId}. The same message delivered again gets it
     * again (a resumed run); another message for the same job (the stream queued it twice) gets null.
     */
    public Claim claim(String id, String messageId) {
        ObjectNode before = jobs.claim(id, messageId).orElse(null);
        if (before == null) {
            LOG.info("Start message {} of import {} ignored: the job has ended or another message runs it",
                    messageId, id);
            return null;
        }
        boolean resume = !ImportStatus.QUEUED.name().equals(before.path("status").asText());
        return new Claim(ImportRequest.fromAttributes(before.path("attributes")).withSourceId(id), resume);
    }

    /** The job's execution name: the job's, so a start retried after a transient failure never starts twice. */
    public String executionName(ImportRequest request) {
        String sk = request.sourceId().split("#", 3)[2];
        String name = (request.tenantCode() + "-" + sk).replaceAll("[^A-Za-z0-9_-]", "-");
        return name.length() > 80 ? name.substring(name.length() - 80) : name;
    }

    /** A start refused for good fails the job; a transient failure is rethrown for the message's next delivery. */
    public void startFailed(String id, Exception failure) throws Exception {
        if (RowFailures.isTransient(failure)) {
            throw failure;
        }
        finalizer.failed(id, "Import.StartFailed", String.valueOf(failure.getMessage()));
    }

    /** Keeps why a delivery failed, for {@link #deadLetter}; the message is delivered again. */
    public void deliveryFailed(String body, String messageId, Exception failure) {
        Mark mark = Mark.of(parse(body), messageId);
        if (mark != null) {
            jobs.deliveryFailed(mark.jobId(), mark.name(), failure.toString());
        }
    }

    /**
     * A message that failed every delivery and reached the import action queue's DLQ: its job must not stay
     * PROCESSING. A {@code csv-batch-process} message's rows are counted as failed (once, under its batchKey) with
     * the last error; a CSV job's start message ends its reader (the rows read are the total, the job ends FAILED);
     * a single-row import or a ZIP job is FAILED. Anything else is logged at ERROR with its content.
     */
    public void deadLetter(String body, String messageId) {
        JsonNode message = parse(body);
        Mark mark = message == null ? null : Mark.of(message, messageId);
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
                errors.add(CsvBatchProcessor.ref(message, i).error("not applied (message " + mark.name() + "): "
                        + reason));
            }
            jobs.count(mark.jobId(), mark.name(), new ImportJobs.Counts(0, 0, 0, errors.size(), errors));
        } else if (mark.jobId().startsWith(ImportJobs.CSV_PREFIX)) {
            jobs.readerFailed(mark.jobId(), reason);
        } else {
            ObjectNode result = Jackson.MAPPER.createObjectNode();
            result.putObject("error").put("message", reason);
            jobs.status(mark.jobId(), ImportStatus.FAILED, result, ImportStatus.QUEUED, ImportStatus.PROCESSING);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return Jackson.MAPPER.readTree(body);
        } catch (Exception e) {
            return null;
        }
    }

    /** The job a message belongs to, and the name its failures are kept under. */
    private record Mark(String jobId, String name) {
        static Mark of(JsonNode message, String messageId) {
            if (message == null) {
                return null;
            }
            if (ImportActionQueue.CSV_BATCH.equals(message.path("action").asText())) {
                String job = message.path("sourceId").asText("");
                return job.startsWith(ImportJobs.CSV_PREFIX)
                        ? new Mark(job, message.path("batchKey").asText(messageId)) : null;
            }
            String id = message.path("pk").asText() + "#" + message.path("sk").asText();
            return id.startsWith(ImportJobs.CSV_PREFIX) || id.startsWith(ImportJobs.SINGLE_PREFIX)
                    || id.startsWith(ImportJobs.ZIP_PREFIX) ? new Mark(id, "start") : null;
        }
    }
}
