package io.cqrsworkers.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.aws.DynamoJson;
import io.cqrsworkers.json.Jackson;
import io.cqrsworkers.workflow.ExecutionWatch;
import io.cqrsworkers.workflow.StepEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.Record;

import java.util.Optional;

/**
 * The orchestrator's steps ({@code infra/statemachines/import-zip.asl.json}), the original's
 * ZipImportSfnEventHandler and ImportStatusHandler:
 * <ul>
 * <li>{@link #trigger} ({@code trigger_single_csv_and_wait}, one Map iteration per file, MaxConcurrency 1): writes
 *     the file's CSV job, a normal job of the request's mode with {@code source} = the ZIP job and the step's task
 *     token in its attributes, and leaves the token open;</li>
 * <li>{@link #fileEnd} (the import stream, a CSV job's record): a CSV job with a token that reached COMPLETED or FAILED
 *     answers it with SendTaskSuccess, its result and {@code importJobStatus} (reference scenario 19), and its file
 *     on the ZIP job shows the outcome;</li>
 * <li>{@link #finalizeZip} ({@code finalize_zip_job}): sums the files' results; the ZIP job is FAILED if a file
 *     failed or the Map did, else COMPLETED (scenario 20).</li>
 * </ul>
 * The CSV job's id is derived from the ZIP job and the file's index, so a step run again finds the job it wrote.
 */
public final class ZipOrchestration implements ExecutionWatch.Owner {

    public static final String BEAN = "zipOrchestration";
    /** The orchestrator's logical name in infra/resources.yaml. */
    public static final String MACHINE = "import-zip";
    /** The execution watch row's field naming the ZIP job. */
    static final String WATCH_JOB = "zipJob";
    private static final Logger LOG = LoggerFactory.getLogger(ZipOrchestration.class);

    private final ImportJobs jobs;
    private final ZipJobs zipJobs;
    private final ExecutionWatch watch;

    public ZipOrchestration(ImportJobs jobs, ZipJobs zipJobs, ExecutionWatch watch) {
        this.jobs = jobs;
        this.zipJobs = zipJobs;
        this.watch = watch;
    }

    /**
     * Starts the CSV job of one file (input {@code {key, index, masterJobKey, parameters}}).
     *
     * @return null: the job answers the token when it ends; or the answer at once, when the step ran before and its
     *         job has ended already
     */
    public String trigger(StepEvent step) {
        JsonNode input = step.input();
        String zipId = input.at("/masterJobKey/pk").asText() + "#" + input.at("/masterJobKey/sk").asText();
        String key = input.path("key").asText();
        int index = input.path("index").asInt();
        JsonNode parameters = input.path("parameters");
        String name = key.substring(key.lastIndexOf('/') + 1);
        String table = parameters.path("tableName").asText("");
        if (table.isBlank()) {
            table = ZipEntries.tableOf(name);
            if (table == null) {
                throw new ZipRejectedException("File '" + name + "': no tableName in the request and none in the "
                        + "name (<14 digits>-<table>.csv)");
            }
        }
        String tenant = parameters.path("tenantCode").asText();
        ImportRequest request = new ImportRequest(parameters.path("processingMode").asText("DIRECT"),
                parameters.path("bucket").asText(), key, table, tenant, null);
        String sk = table + "#" + ZipJobs.unique(zipId) + "-" + String.format("%05d", index);
        String csvId = ImportJobs.CSV_PREFIX + tenant + "#" + sk;
        zipJobs.fileStarted(zipId, index, csvId);
        Optional<ObjectNode> written = jobs.createOnce(request, sk, job -> {
            job.put("source", zipId).put("createdBy", "system");
            ((ObjectNode) job.get("attributes")).put("taskToken", step.taskToken()).put("zipFileIndex", index);
        });
        if (written.isPresent()) {
            LOG.debug("ZIP import {}: file {} ({}) is CSV job {}", zipId, index, name, csvId);
            return null;
        }
        JsonNode existing = jobs.get(csvId).orElseThrow();
        if (terminal(existing.path("status").asText())) {
            return answer(existing).toString();
        }
        zipJobs.rearm(csvId, step.taskToken());
        return null;
    }

    /** A CSV job's end, as the import stream sees it: the token to answer and the answer. */
    public record FileEnd(String token, String zipId, int index, String status, ObjectNode output) {
    }

    /** The job's image of a stream record (MODIFY only: a job is written CREATED). */
    public JsonNode image(Record record) {
        return "MODIFY".equals(record.eventNameAsString()) && record.dynamodb().hasNewImage()
                ? DynamoJson.fromItem(record.dynamodb().newImage()) : null;
    }

    /**
     * A CSV job that ended and holds a task token: the answer (scenario 19). Null for anything else: no token, a
     * status that is not final, an import row that is not a CSV job.
     */
    public FileEnd fileEnd(JsonNode job) {
        if (job == null || !job.path("pk").asText().startsWith(ImportJobs.CSV_PREFIX)
                || !terminal(job.path("status").asText()) || job.at("/attributes/taskToken").asText("").isEmpty()) {
            return null;
        }
        return new FileEnd(job.at("/attributes/taskToken").asText(), job.path("source").asText(null),
                job.at("/attributes/zipFileIndex").asInt(-1), job.path("status").asText(), answer(job));
    }

    /** The file's outcome on the ZIP job (a job started from elsewhere with a token has none). */
    public void fileEnded(FileEnd end) {
        if (end.zipId() != null && end.zipId().startsWith(ImportJobs.ZIP_PREFIX) && end.index() >= 0) {
            zipJobs.fileEnded(end.zipId(), end.index(), end.status(), end.output());
        }
    }

    /** The original's answer: the job's result, with {@code importJobStatus}; here also the job and its file. */
    private static ObjectNode answer(JsonNode job) {
        ObjectNode output = Jackson.MAPPER.createObjectNode();
        JsonNode result = job.path("result");
        if (result.isObject()) {
            output.setAll((ObjectNode) result.deepCopy());
        }
        output.put("importJobStatus", job.path("status").asText()).put("jobId", job.path("id").asText())
                .put("file", job.at("/attributes/key").asText());
        return output;
    }

    private static boolean terminal(String status) {
        return ImportStatus.COMPLETED.name().equals(status) || ImportStatus.FAILED.name().equals(status);
    }

    /**
     * {@code finalize_zip_job}: the input is the execution's with the Map's {@code results} (one answer per file, in
     * order) or, when the Map failed, {@code errorOutput}. Sums {@code total}, {@code succeeded}, {@code failed} (or
     * the original's {@code totalRows}, {@code processedRows}, {@code failedRows}); FAILED if any file's
     * {@code importJobStatus} is FAILED or the Map failed, else COMPLETED.
     */
    public String finalizeZip(StepEvent step) {
        JsonNode input = step.input();
        String zipId = input.at("/masterJobKey/pk").asText() + "#" + input.at("/masterJobKey/sk").asText();
        long total = 0;
        long succeeded = 0;
        long failed = 0;
        int failedFiles = 0;
        for (JsonNode file : input.path("results")) {
            total += file.has("total") ? file.path("total").asLong() : file.path("totalRows").asLong();
            succeeded += file.has("succeeded") ? file.path("succeeded").asLong()
                    : file.path("processedRows").asLong();
            failed += file.has("failed") ? file.path("failed").asLong() : file.path("failedRows").asLong();
            if (ImportStatus.FAILED.name().equals(file.path("importJobStatus").asText())) {
                failedFiles++;
            }
        }
        int files = input.path("sortedS3Keys").size();
        JsonNode error = input.path("errorOutput");
        ObjectNode result = Jackson.MAPPER.createObjectNode();
        String message;
        if (!error.isMissingNode()) {
            message = "The import stopped: " + error.path("Error").asText() + ": " + error.path("Cause").asText();
            result.putObject("error").put("message", message);
        } else {
            message = failedFiles > 0 ? failedFiles + " of " + files + " files failed"
                    : "Imported " + files + " files";
        }
        result.put("message", message).put("files", files).put("failedFiles", failedFiles).put("total", total)
                .put("succeeded", succeeded).put("failed", failed);
        ImportStatus status = failedFiles > 0 || !error.isMissingNode() ? ImportStatus.FAILED
                : ImportStatus.COMPLETED;
        jobs.status(zipId, status, result, ImportStatus.PROCESSING);
        watch.unwatch(step.executionArn());
        ObjectNode output = Jackson.MAPPER.createObjectNode().put("status", status.name());
        output.set("result", result);
        return output.toString();
    }

    /** The orchestrator ended without finalize_zip_job (stopped, timed out, failed outside the Map's Catch). */
    @Override
    public void ended(ObjectNode row, ExecutionWatch.Ending ending) {
        String zipId = row.path(WATCH_JOB).asText();
        ObjectNode result = Jackson.MAPPER.createObjectNode();
        result.putObject("error").put("message", "The orchestrator did not finish: " + ending.describe());
        jobs.status(zipId, ImportStatus.FAILED, result, ImportStatus.PROCESSING);
    }
}
