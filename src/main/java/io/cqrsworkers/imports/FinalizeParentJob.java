package io.cqrsworkers.imports;

import io.cqrsworkers.json.Jackson;
import io.cqrsworkers.workflow.StepEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code finalize_parent_job}, shared by both modes: records the reader's outcome. When every batch has been read
 * the job's total is known, and the job completes as soon as every row is applied or rejected (possibly at once);
 * unlike the original, which marks the job completed when its rows are merely queued. A file that cannot be read
 * fails the job with the reason.
 */
public final class FinalizeParentJob {

    public static final String BEAN = "finalizeParentJob";

    private static final ObjectMapper JSON = Jackson.MAPPER;

    private final ImportJobs jobs;

    public FinalizeParentJob(ImportJobs jobs) {
        this.jobs = jobs;
    }

    /**
     * The import-csv machine's last step, after the map or its Catch: COMPLETED-to-be when the map read the file
     * (AWS fails the map of a header-only file; that is an import of 0 rows), else FAILED with the map's error.
     */
    public String step(StepEvent step) {
        JsonNode input = step.input();
        String jobId = input.path("sourceId").asText();
        JsonNode error = input.path("errorOutput");
        boolean headerOnly = error.path("Error").asText().equals("States.ItemReaderFailed")
                && error.path("Cause").asText().contains("only CSV headers");
        JsonNode job = error.isMissingNode() || headerOnly ? completed(jobId)
                : failed(jobId, error.path("Error").asText(), error.path("Cause").asText());
        return JSON.createObjectNode().put("status", job.path("status").asText())
                .set("result", job.path("result")).toString();
    }

    /** The reader read the whole file (a header-only file is 0 rows). */
    public ObjectNode completed(String jobId) {
        jobs.readerFinished(jobId);
        return jobs.get(jobId).orElseThrow(() -> new IllegalStateException("No import job " + jobId));
    }

    /** The file could not be read (missing, empty, broken): the job fails with the reason. */
    public ObjectNode failed(String jobId, String error, String cause) {
        ObjectNode result = JSON.createObjectNode();
        result.putObject("error").put("message", error + ": " + cause);
        jobs.status(jobId, ImportStatus.FAILED, result, ImportStatus.PROCESSING);
        return jobs.get(jobId).orElseThrow(() -> new IllegalStateException("No import job " + jobId));
    }
}
