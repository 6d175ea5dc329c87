package io.cqrsworkers.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The business steps of DIRECT mode, the Distributed Map's mirror as the route {@value #URI}
 * ({@link DirectImportRoutes}): the CSV records become items as AWS's CSV ItemReader and the map's ItemSelector make
 * them, the reader pauses while too many of the job's rows wait in the import action queue, a resumed run skips the
 * batches already counted, and a failure waits for the batches running, then either ends the job with its reason or
 * leaves it PROCESSING for the start message's next delivery.
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
     * The records (the header first) as the rows of the Distributed Map's items, each with its index in the
     * reader's order ({@code $$.Map.Item.Index}). The items themselves are made per batch ({@link #batch}), on the
     * batch's thread, not on the reading one. Every {@value #PENDING_CHECK_EVERY} batches it waits while more than
     * maxPendingRows of the job's rows are queued and not applied (unless the backlog it saw last, plus the rows read
     * since, is not over: a look costs a DynamoDB read); this runs on the reading thread, so reading pauses.
     *
     * @throws EmptyFileException when there is not even a header
     */
    public Iterator<Row> rows(Iterator<List<String>> records, String jobId, int batchSize) {
        if (!records.hasNext()) {
            throw new EmptyFileException();
        }
        List<String> header = records.next();
        long every = (long) PENDING_CHECK_EVERY * batchSize;
        return new Iterator<>() {
            private long read;
            /** The backlog seen at the last look (unknown before the first) and the rows read since. */
            private long pending = -1;
            private long readSince;

            @Override
            public boolean hasNext() {
                return records.hasNext();
            }

            @Override
            public Row next() {
                if (!records.hasNext()) {
                    throw new NoSuchElementException();
                }
                // the backlog grows only by the rows this reader adds: no need to look while it cannot be over
                if (read > 0 && read % every == 0 && (pending < 0 || pending + readSince > maxPendingRows)) {
                    pending = awaitBacklog(jobId);
                    readSince = 0;
                }
                readSince++;
                return new Row(read++, header, records.next());
            }
        };
    }

    /** A CSV record, its index among the file's rows (0-based, after the header) and the header. */
    public record Row(long index, List<String> header, List<String> values) {

        /**
         * The Distributed Map's item for this row with the map's ItemSelector applied: {@code {"index": i, "value":
         * row}}, the row keyed by the header, short rows padded with empty strings, extra fields dropped (AWS's
         * documented CSV rules, see S3ItemReader).
         */
        ObjectNode item() {
            JsonNodeFactory nodes = Jackson.MAPPER.getNodeFactory();
            Map<String, JsonNode> fields = new LinkedHashMap<>(header.size() * 4 / 3 + 1);
            for (int i = 0; i < header.size(); i++) {
                fields.put(header.get(i), nodes.textNode(i < values.size() ? values.get(i) : ""));
            }
            Map<String, JsonNode> item = new LinkedHashMap<>(3);
            item.put("index", nodes.numberNode(index));
            item.put("value", new ObjectNode(nodes, fields));
            return new ObjectNode(nodes, item);
        }
    }

    /** @return the job's backlog once it is at most maxPendingRows; the job shows the wait while it lasts */
    private long awaitBacklog(String jobId) {
        try {
            long pending = jobs.pendingRows(jobId);
            if (pending <= maxPendingRows) {
                return pending;
            }
            jobs.readerWaiting(jobId, pending);
            while ((pending = jobs.pendingRows(jobId)) > maxPendingRows) {
                Thread.sleep(100);
            }
            jobs.readerResumed(jobId);
            return pending;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoppedException("Import " + jobId + " stopped while waiting for its backlog; it resumes when "
                    + "its start message is delivered again", e);
        }
    }

    /** A batch in the Distributed Map's shape {@code {"Items":[...], "BatchInput":{"Attributes":{...}}}}. */
    public ObjectNode batch(List<Row> rows, JsonNode attributes) {
        ObjectNode batch = Jackson.MAPPER.createObjectNode();
        ArrayNode items = batch.putArray("Items");
        for (Row row : rows) {
            items.add(row.item());
        }
        batch.putObject("BatchInput").set("Attributes", attributes);
        return batch;
    }

    /** The batches of one run that are being handled, so that a failed run ends only after them. */
    public Batches batches() {
        return new Batches();
    }

    /**
     * Whether to run a batch: not once the run has failed, and on a resumed run not when it was counted before (its
     * rows were read and queued). A batch to run is counted in {@code running} until {@link Batches#ended}.
     */
    public boolean toRead(String jobId, String batchKey, boolean resume, Batches running) {
        return (!resume || !jobs.counted(jobId, CsvRowsHandler.readMark(batchKey))) && running.started();
    }

    /** A batch that {@link #toRead} let run has ended, handled or failed. */
    public void ended(Batches running) {
        running.ended();
    }

    /**
     * A run's batches being handled. The split stops at the first failure without waiting for the batches it had
     * already handed to the pool, so the run waits for them here: a resume must not overlap them.
     */
    public static final class Batches {
        private int running;
        private boolean stopped;

        /** @return false once the run has stopped: the batch is not handled */
        synchronized boolean started() {
            if (stopped) {
                return false;
            }
            running++;
            return true;
        }

        synchronized void ended() {
            running--;
            notifyAll();
        }

        /** No batch starts after this; returns once those running have ended. */
        synchronized void stopAndAwait() throws InterruptedException {
            stopped = true;
            while (running > 0) {
                wait();
            }
        }
    }

    /** Stops the object's download, read to its end or not (closing alone would read the rest first). */
    public void close(ResponseInputStream<?> object) {
        if (object != null) {
            object.abort();
        }
    }

    /**
     * The run failed. It first waits for its batches still being handled. Then a missing, empty or unreadable file
     * fails the job with the reason; a transient failure (AWS unavailable, also a batch whose count failed after its
     * rows were queued) and a stop leave it PROCESSING and are rethrown, so the start message comes back and the run
     * resumes at the batches not counted (until the message reaches the DLQ, which ends the job).
     *
     * @param running null when the run failed before its split began
     * @return the job, when it ended here
     */
    public ObjectNode failed(String jobId, String bucket, String key, Exception failure, Batches running) {
        String object = "s3://" + bucket + "/" + key;
        if (running != null) {
            try {
                running.stopAndAwait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoppedException("Import " + jobId + " stopped while its batches ended; it resumes when "
                        + "its start message is delivered again", failure);
            }
        }
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
