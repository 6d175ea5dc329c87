package io.cqrsworkers.imports;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * DIRECT mode, the Distributed Map's mirror: streams the object from S3, reads it lazily into the same batches,
 * runs at most {@code maxConcurrency} of them at once through the {@link CsvRowsHandler} (the reader waits for a free
 * slot, and while too many of the job's rows wait in the import action queue, so memory stays flat in the file's
 * size) and ends with {@link FinalizeParentJob}. The rows are applied
 * afterwards, from the import action queue. It runs while the job's start message is held (its visibility extended),
 * so a stopped or killed service leaves the message to be delivered again, and the run resumes.
 */
public final class DirectImport {

    private static final Logger LOG = LoggerFactory.getLogger(DirectImport.class);
    /** Batches between two looks at the job's backlog. */
    private static final int PENDING_CHECK_EVERY = 100;

    private final S3Client s3;
    private final BatchHandler rows;
    private final FinalizeParentJob finalizer;
    private final ExecutorService workers;
    private final int batchSize;
    private final int maxConcurrency;
    private final ImportJobs jobs;
    private final long maxPendingRows;

    /**
     * @param jobs           the jobs' counters: rows read but not yet applied or rejected, batches already read
     * @param maxPendingRows the reader waits while a job has more rows queued in the import action queue: the queue's
     *                       backlog stays bounded
     */
    public DirectImport(S3Client s3, BatchHandler rows, FinalizeParentJob finalizer, ExecutorService workers,
                        int batchSize, int maxConcurrency, ImportJobs jobs, long maxPendingRows) {
        this.s3 = s3;
        this.rows = rows;
        this.finalizer = finalizer;
        this.workers = workers;
        this.batchSize = batchSize;
        this.maxConcurrency = maxConcurrency;
        this.jobs = jobs;
        this.maxPendingRows = maxPendingRows;
    }

    /** The same import running its batches through another handler (benchmarks). */
    public DirectImport withHandler(BatchHandler handler) {
        return new DirectImport(s3, handler, finalizer, workers, batchSize, maxConcurrency, jobs, maxPendingRows);
    }

    /** Reads the job's file and returns the job once every row is queued or rejected. {@code onBatch} sees each batch. */
    public ObjectNode run(ImportRequest request, Consumer<CsvBatch> onBatch) {
        return run(request, false, onBatch);
    }

    /**
     * @param resume the job was started before and stopped: batches it already read are skipped (the rest is read
     *               again; rows queued twice compare EQUAL when applied, and every batch is counted once)
     * @throws StoppedException when interrupted (the service stops): the job stays PROCESSING, to be resumed
     * @throws RuntimeException a transient failure of a batch (AWS unavailable): the reader stops without
     *               finishing the job, which resumes when the start message comes back
     */
    public ObjectNode run(ImportRequest request, boolean resume, Consumer<CsvBatch> onBatch) {
        String jobId = request.sourceId();
        String object = "s3://" + request.bucket() + "/" + request.key();
        Semaphore slots = new Semaphore(maxConcurrency);
        List<CompletableFuture<Void>> running = new ArrayList<>();
        // a batch that failed was not counted as read (maybe after its rows were queued): the reader must not finish
        // as if it had been, or the total misses its rows while they are applied and counted
        AtomicReference<Throwable> batchFailure = new AtomicReference<>();
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(request.bucket()).key(request.key()));
             CsvBatchReader reader = new CsvBatchReader(in, batchSize, request.toJson())) {
            for (long index = 0; reader.hasNext() && batchFailure.get() == null; index++) {
                CsvBatch batch = reader.next();
                onBatch.accept(batch);
                String batchKey = "direct-" + index;
                if (resume && jobs.counted(jobId, CsvRowsHandler.readMark(batchKey))) {
                    continue;
                }
                slots.acquire();
                while (index % PENDING_CHECK_EVERY == 0 && jobs.pendingRows(jobId) > maxPendingRows) {
                    Thread.sleep(100);
                }
                running.add(CompletableFuture.runAsync(() -> rows.handle(batchKey, batch.json(), batch.rejected()),
                                workers)
                        .whenComplete((ok, failure) -> {
                            if (failure != null) {
                                batchFailure.compareAndSet(null, failure instanceof CompletionException
                                        && failure.getCause() != null ? failure.getCause() : failure);
                            }
                            slots.release();
                        }));
                running.removeIf(CompletableFuture::isDone);
            }
            CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).exceptionally(x -> null).join();
            if (batchFailure.get() != null) {
                throw batchFailure.get() instanceof RuntimeException r ? r : new IllegalStateException(batchFailure.get());
            }
        } catch (NoSuchKeyException e) {
            return finalizer.failed(jobId, "Import.ObjectNotFound", "The object " + object + " does not exist");
        } catch (CsvBatchReader.EmptyFileException e) {
            return finalizer.failed(jobId, "Import.EmptyFile", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw stopped(jobId, object, e);
        } catch (S3Exception e) {
            if (RowFailures.isTransient(e)) {
                throw e;
            }
            return finalizer.failed(jobId, "Import.ObjectUnreadable", object + ": " + e.getMessage());
        } catch (Exception e) {
            if (interrupted(e)) {
                throw stopped(jobId, object, e);
            }
            CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).exceptionally(x -> null).join();
            if (RowFailures.isTransient(e)) {
                // the job stays PROCESSING; the start message comes back and the run resumes at the batches not
                // counted (until the message reaches the DLQ, which ends the job)
                LOG.warn("Import {} of {} stopped by a transient failure; it resumes: {}", jobId, object, e.toString());
                throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
            }
            LOG.warn("Import {} of {} failed", jobId, object, e);
            return finalizer.failed(jobId, "Import.Failed", String.valueOf(e.getMessage()));
        }
        return finalizer.completed(jobId);
    }

    private static StoppedException stopped(String jobId, String object, Exception cause) {
        return new StoppedException("Import " + jobId + " stopped while reading " + object
                + "; it resumes when its start message is delivered again", cause);
    }

    /** The service stops while a job is read: the job stays PROCESSING and its start message comes back. */
    public static final class StoppedException extends IllegalStateException {
        StoppedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** An interrupt that surfaced as another exception, e.g. an S3 or DynamoDB call aborted by it. */
    private static boolean interrupted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException || t instanceof java.io.InterruptedIOException
                    || t instanceof software.amazon.awssdk.core.exception.AbortedException) {
                return true;
            }
        }
        return Thread.currentThread().isInterrupted();
    }
}
