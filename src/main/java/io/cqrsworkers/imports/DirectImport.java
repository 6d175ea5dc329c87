package io.cqrsworkers.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.json.Jackson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.InterruptedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The business steps of DIRECT mode, the Distributed Map's mirror as the route {@value #URI} ({@link ImportRoutes}):
 * the CSV records become items as AWS's CSV ItemReader makes them, the reader pauses while too many of the job's rows
 * wait in the import action queue, a resumed run skips the batches already counted, and a failure either ends the
 * job with its reason or leaves it PROCESSING for the start message's next delivery.
 */
public final class DirectImport {

    public static final String BEAN = "directImport";
    public static final String URI = "direct:import-direct";
    /** The route's thread pool profile: bounded queue, CallerRuns (the reader runs a batch itself when it is full). */
    public static final String POOL = "import-batches";
    /** The id of the route's csv_rows_handler step (tests and benchmarks watch or replace it). */
    public static final String HANDLER_STEP = "import-direct-rows-handler";
    /** Headers of the route: the job id, whether this run resumes, the batch's key and the batch input. */
    public static final String JOB = "ImportJobId";
    public static final String RESUME = "ImportResume";
    public static final String BATCH_KEY = "ImportBatchKey";
    public static final String ATTRIBUTES = "ImportAttributes";
    /** Batches between two looks at the job's backlog. */
    static final int PENDING_CHECK_EVERY = 100;
    private static final Logger LOG = LoggerFactory.getLogger(DirectImport.class);

    private final ImportJobs jobs;
    private final FinalizeParentJob finalizer;
    private final long maxPendingRows;

    /** @param maxPendingRows the reader waits while a job has more rows queued: the queue's backlog stays bounded */
    public DirectImport(ImportJobs jobs, FinalizeParentJob finalizer, long maxPendingRows) {
        this.jobs = jobs;
        this.finalizer = finalizer;
        this.maxPendingRows = maxPendingRows;
    }

    /**
     * The records (the header first) as the Distributed Map's items: each row an object keyed by the header, short
     * rows padded with empty strings, extra fields dropped (AWS's documented CSV rules, see S3ItemReader). Every
     * {@value #PENDING_CHECK_EVERY} batches it waits while more than maxPendingRows of the job's rows are queued
     * and not applied; this runs on the reading thread, so reading pauses.
     *
     * @throws EmptyFileException when there is not even a header
     */
    public Iterator<ObjectNode> items(Iterator<List<String>> records, String jobId, int batchSize) {
        if (!records.hasNext()) {
            throw new EmptyFileException();
        }
        List<String> header = records.next();
        long every = (long) PENDING_CHECK_EVERY * batchSize;
        return new Iterator<>() {
            private long read;

            @Override
            public boolean hasNext() {
                return records.hasNext();
            }

            @Override
            public ObjectNode next() {
                if (!records.hasNext()) {
                    throw new NoSuchElementException();
                }
                if (read > 0 && read % every == 0) {
                    awaitBacklog(jobId);
                }
                List<String> row = records.next();
                read++;
                ObjectNode item = Jackson.MAPPER.createObjectNode();
                for (int i = 0; i < header.size(); i++) {
                    item.put(header.get(i), i < row.size() ? row.get(i) : "");
                }
                return item;
            }
        };
    }

    private void awaitBacklog(String jobId) {
        try {
            while (jobs.pendingRows(jobId) > maxPendingRows) {
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoppedException("Import " + jobId + " stopped while waiting for its backlog; it resumes when "
                    + "its start message is delivered again", e);
        }
    }

    /** A batch in the Distributed Map's shape {@code {"Items":[...], "BatchInput":{"Attributes":{...}}}}. */
    public ObjectNode batch(List<JsonNode> items, JsonNode attributes) {
        ObjectNode batch = Jackson.MAPPER.createObjectNode();
        batch.putArray("Items").addAll(items);
        batch.putObject("BatchInput").set("Attributes", attributes);
        return batch;
    }

    /** Whether to run a batch: a resumed run skips those counted before (their rows were read and queued). */
    public boolean toRead(String jobId, String batchKey, boolean resume) {
        return !resume || !jobs.counted(jobId, CsvRowsHandler.readMark(batchKey));
    }

    /** Stops the object's download, read to its end or not (closing alone would read the rest first). */
    public void close(ResponseInputStream<?> object) {
        if (object != null) {
            object.abort();
        }
    }

    /**
     * The run failed. A missing, empty or unreadable file fails the job with the reason; a transient failure (AWS
     * unavailable, also a batch whose count failed after its rows were queued) and a stop leave it PROCESSING and are
     * rethrown, so the start message comes back and the run resumes at the batches not counted (until the message
     * reaches the DLQ, which ends the job).
     *
     * @return the job, when it ended here
     */
    public ObjectNode failed(String jobId, String bucket, String key, Exception failure) {
        String object = "s3://" + bucket + "/" + key;
        Throwable cause = unwrap(failure);
        if (interrupted(cause)) {
            throw new StoppedException("Import " + jobId + " stopped while reading " + object
                    + "; it resumes when its start message is delivered again", cause);
        }
        if (cause instanceof NoSuchKeyException) {
            return finalizer.failed(jobId, "Import.ObjectNotFound", "The object " + object + " does not exist");
        }
        if (cause instanceof EmptyFileException) {
            return finalizer.failed(jobId, "Import.EmptyFile", cause.getMessage());
        }
        if (RowFailures.isTransient(cause)) {
            LOG.warn("Import {} of {} stopped by a transient failure; it resumes: {}", jobId, object, cause.toString());
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
        }
        if (cause instanceof S3Exception) {
            return finalizer.failed(jobId, "Import.ObjectUnreadable", object + ": " + cause.getMessage());
        }
        LOG.warn("Import {} of {} failed", jobId, object, cause);
        return finalizer.failed(jobId, "Import.Failed", String.valueOf(cause.getMessage()));
    }

    /** The failure itself, not Camel's wrappers (the splitter's, a bean expression's) around it. */
    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getClass().getName().startsWith("org.apache.camel.")) {
            t = t.getCause();
        }
        return t;
    }

    /** An interrupt that surfaced as another exception, e.g. an S3 or DynamoDB call aborted by it. */
    private static boolean interrupted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StoppedException || t instanceof InterruptedException
                    || t instanceof InterruptedIOException || t instanceof AbortedException) {
                return true;
            }
        }
        return Thread.currentThread().isInterrupted();
    }

    /** The service stops while a job is read: the job stays PROCESSING and its start message comes back. */
    public static final class StoppedException extends IllegalStateException {
        StoppedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The file is empty: not even a header row. */
    public static final class EmptyFileException extends IllegalArgumentException {
        EmptyFileException() {
            super("The CSV file is empty: no header row");
        }
    }
}
