package io.cqrsworkers.imports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code finalize_parent_job}, shared by both modes: records the reader's outcome. When every batch has been read
 * the job's total is known, and the job completes as soon as every row is applied or rejected (possibly at once);
 * unlike the original, which marks the job completed when its rows are merely queued. A file that cannot be read
 * fails the job with the reason.
 */
public final class FinalizeParentJob {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ImportJobs jobs;

    public FinalizeParentJob(ImportJobs jobs) {
        this.jobs = jobs;
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
