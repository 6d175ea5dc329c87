package io.cqrsworkers.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.json.Jackson;
import io.cqrsworkers.workflow.ExecutionWatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * The steps of route {@code import-zip-unpack} ({@link ZipImportRoutes}), run by a ZIP job's start message on the
 * import action queue:
 * <ol>
 * <li>{@link #claim}: the job, claimed by its first start message exactly as a CSV job is ({@link ImportJobs#claim});
 *     the same message delivered again (the service died) claims it again and resumes;</li>
 * <li>{@link #entries}: the archive's entries, checked and inflated one at a time ({@link ZipEntries}), which the
 *     route uploads with aws2-s3 to {@code csv-imports/<tenant>/<zip id>/<name>}; a resumed run unpacks again from the
 *     start, writing the same objects under the same keys (no file lost, none doubled);</li>
 * <li>{@link #unpacked}: the files, sorted, recorded on the job; from then on a resumed run skips the unpacking;</li>
 * <li>{@link #executionInput} and {@link #executionName}: the orchestrator's input as the original's and a name
 *     derived from the job, so a repeated start finds the execution started before; {@link #started} watches it.</li>
 * </ol>
 * Bad input fails the job with the reason ({@link #failed}); a transient failure is rethrown for the next delivery.
 */
public final class ZipUnpack {

    public static final String BEAN = "zipUnpack";
    private static final Logger LOG = LoggerFactory.getLogger(ZipUnpack.class);

    private final ImportJobs jobs;
    private final ZipJobs zipJobs;
    private final ZipLimits limits;
    private final ExecutionWatch watch;

    public ZipUnpack(ImportJobs jobs, ZipJobs zipJobs, ZipLimits limits, ExecutionWatch watch) {
        this.jobs = jobs;
        this.zipJobs = zipJobs;
        this.limits = limits;
        this.watch = watch;
    }

    /** A ZIP job claimed by its start message; {@code unpacked}: an earlier run recorded its files already. */
    public record Run(String jobId, ZipImportRequest request, boolean unpacked) {
    }

    /** The job for this start message, or null when it has ended or another message runs it. */
    public Run claim(String jobId, String messageId) {
        ObjectNode before = jobs.claim(jobId, messageId).orElse(null);
        if (before == null) {
            LOG.info("Start message {} of ZIP import {} ignored: the job has ended or another message runs it",
                    messageId, jobId);
            return null;
        }
        boolean unpacked = before.has("files");
        if (ImportStatus.PROCESSING.name().equals(before.path("status").asText())) {
            // the same message again: the service stopped (or a transient failure) while it ran
            LOG.info("ZIP import {} resumed by its start message {}: {}", jobId, messageId, unpacked
                    ? "its files are recorded, the orchestrator is started (or found started)"
                    : "unpacking again from the first entry (the same objects under the same keys)");
        }
        return new Run(jobId, ZipImportRequest.fromAttributes(before.path("attributes")), unpacked);
    }

    /**
     * The archive's entries, to be uploaded one at a time. On disk in the job's own folder under java.io.tmpdir
     * ({@code zip-import-<zip unique>}): a run resumed after a kill deletes what the killed one left there.
     */
    public ZipEntries entries(InputStream archive, Run run) {
        String unique = ZipJobs.unique(run.jobId());
        String prefix = "csv-imports/" + run.request().tenantCode() + "/" + unique + "/";
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "zip-import-" + unique.replaceAll("[^A-Za-z0-9_-]",
                "-"));
        return new ZipEntries(archive, limits, prefix, run.request().tableName() == null, dir);
    }

    /** Every entry is in the bucket: the files, in import order, go on the job. */
    public void unpacked(Run run, ZipEntries entries) {
        zipJobs.unpacked(run.jobId(), entries.sortedKeys());
        LOG.info("ZIP import {}: {} files unpacked", run.jobId(), entries.unpacked().size());
    }

    /**
     * The orchestrator's input, the original's: {@code {"masterJobKey":{pk,sk},"sortedS3Keys":[...],
     * "parameters":{bucket,tenantCode,tableName}}}, with processingMode added (the mode of every CSV job).
     */
    public String executionInput(Run run) {
        JsonNode job = jobs.get(run.jobId()).orElseThrow(() -> new IllegalStateException("No job " + run.jobId()));
        ObjectNode input = Jackson.MAPPER.createObjectNode();
        input.putObject("masterJobKey").put("pk", job.path("pk").asText()).put("sk", job.path("sk").asText());
        var keys = input.putArray("sortedS3Keys");
        job.path("files").forEach(f -> keys.add(f.path("key").asText()));
        ObjectNode parameters = input.putObject("parameters").put("bucket", run.request().bucket())
                .put("tenantCode", run.request().tenantCode())
                .put("processingMode", run.request().processingMode());
        if (run.request().tableName() != null) {
            parameters.put("tableName", run.request().tableName());
        }
        return input.toString();
    }

    /** The execution's name: the job's, so the start of a resumed run finds the execution started before. */
    public String executionName(Run run) {
        String name = (run.request().tenantCode() + "-zip-" + ZipJobs.unique(run.jobId()))
                .replaceAll("[^A-Za-z0-9_-]", "-");
        return name.length() > 80 ? name.substring(name.length() - 80) : name;
    }

    /** The orchestrator runs: watched, so a stop or a failure it cannot catch still ends the job. */
    public void started(Run run, String executionArn) {
        watch.watch(executionArn, Map.of(ZipOrchestration.WATCH_JOB, run.jobId()));
    }

    /**
     * The run failed. Bad input (not a ZIP, a bad entry, a limit, a corrupt entry) and a missing archive fail the job
     * with the reason; a transient failure is rethrown (the job stays PROCESSING and the message comes back).
     */
    public void failed(Run run, Exception failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getClass().getName().startsWith("org.apache.camel.")) {
            cause = cause.getCause();
        }
        String object = "s3://" + run.request().bucket() + "/" + run.request().key();
        String reason;
        if (cause instanceof ZipRejectedException) {
            reason = "ZipImport.BadArchive: " + cause.getMessage();
        } else if (cause instanceof NoSuchKeyException) {
            reason = "ZipImport.ObjectNotFound: the archive " + object + " does not exist";
        } else if (RowFailures.isTransient(cause)) {
            LOG.warn("ZIP import {} stopped by a transient failure; its start message comes again: {}", run.jobId(),
                    cause.toString());
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
        } else if (cause instanceof S3Exception) {
            reason = "ZipImport.ObjectUnreadable: " + object + ": " + cause.getMessage();
        } else {
            LOG.warn("ZIP import {} failed", run.jobId(), cause);
            reason = "ZipImport.Failed: " + cause;
        }
        LOG.info("ZIP import {} FAILED: {}", run.jobId(), reason);
        ObjectNode result = Jackson.MAPPER.createObjectNode();
        result.putObject("error").put("message", reason);
        jobs.status(run.jobId(), ImportStatus.FAILED, result, ImportStatus.PROCESSING);
    }

    /** Stops the archive's download (closing alone would read the rest) and deletes what is left on disk. */
    public void close(ResponseInputStream<?> archive, ZipEntries entries) {
        if (archive != null) {
            archive.abort();
        }
        if (entries != null) {
            entries.discard();
        }
    }
}
