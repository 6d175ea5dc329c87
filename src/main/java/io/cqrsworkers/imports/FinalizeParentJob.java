package io.cqrsworkers.imports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code finalize_parent_job}, shared by both modes: once every batch has returned, the job's counters hold every
 * row (applied or rejected); the job becomes COMPLETED, or FAILED when a row failed or the file could not be read.
 */
public final class FinalizeParentJob {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ImportJobs jobs;

    public FinalizeParentJob(ImportJobs jobs) {
        this.jobs = jobs;
    }

    /** The run ended normally: the outcome follows from the counters. */
    public ObjectNode completed(String jobId) {
        ObjectNode job = jobs.get(jobId).orElseThrow(() -> new IllegalStateException("No import job " + jobId));
        long total = job.path("totalRows").asLong();
        long succeeded = job.path("succeededRows").asLong();
        long failed = job.path("failedRows").asLong();
        ObjectNode result = JSON.createObjectNode();
        result.put("message", failed > 0 ? failed + " of " + total + " rows failed" : "Imported " + total + " rows")
                .put("total", total).put("succeeded", succeeded).put("failed", failed);
        return jobs.finish(jobId, failed > 0 ? ImportStatus.FAILED : ImportStatus.COMPLETED, result);
    }

    /** The file could not be read (missing, empty, broken): the job fails with the reason. */
    public ObjectNode failed(String jobId, String error, String cause) {
        ObjectNode result = JSON.createObjectNode();
        result.putObject("error").put("message", error + ": " + cause);
        return jobs.finish(jobId, ImportStatus.FAILED, result);
    }
}
