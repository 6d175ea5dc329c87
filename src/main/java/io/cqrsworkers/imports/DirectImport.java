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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * DIRECT mode, the Distributed Map's mirror: streams the object from S3, reads it lazily into the same batches,
 * runs at most {@code maxConcurrency} of them at once through the {@link CsvRowsHandler} (the reader waits for a free
 * slot, and while too many of the job's rows wait in the import action queue, so memory stays flat in the file's
 * size) and ends with {@link FinalizeParentJob}. The rows are applied
 * afterwards, from the import action queue.
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
    private final ToLongFunction<String> pendingRows;
    private final long maxPendingRows;

    /**
     * @param pendingRows    rows of a job read but not yet applied or rejected (queued in the import action queue)
     * @param maxPendingRows the reader waits while a job has more: the queue's backlog stays bounded (the embedded
     *                       SQS keeps it in this heap)
     */
    public DirectImport(S3Client s3, BatchHandler rows, FinalizeParentJob finalizer, ExecutorService workers,
                        int batchSize, int maxConcurrency, ToLongFunction<String> pendingRows, long maxPendingRows) {
        this.s3 = s3;
        this.rows = rows;
        this.finalizer = finalizer;
        this.workers = workers;
        this.batchSize = batchSize;
        this.maxConcurrency = maxConcurrency;
        this.pendingRows = pendingRows;
        this.maxPendingRows = maxPendingRows;
    }

    /** The same import running its batches through another handler (benchmarks). */
    public DirectImport withHandler(BatchHandler handler) {
        return new DirectImport(s3, handler, finalizer, workers, batchSize, maxConcurrency, pendingRows,
                maxPendingRows);
    }

    /** Reads the job's file and returns the job once every row is queued or rejected. {@code onBatch} sees each batch. */
    public ObjectNode run(ImportRequest request, Consumer<CsvBatch> onBatch) {
        String jobId = request.sourceId();
        String object = "s3://" + request.bucket() + "/" + request.key();
        Semaphore slots = new Semaphore(maxConcurrency);
        List<CompletableFuture<Void>> running = new ArrayList<>();
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(request.bucket()).key(request.key()));
             CsvBatchReader reader = new CsvBatchReader(in, batchSize, request.toJson())) {
            for (long index = 0; reader.hasNext(); index++) {
                CsvBatch batch = reader.next();
                onBatch.accept(batch);
                slots.acquire();
                while (index % PENDING_CHECK_EVERY == 0 && pendingRows.applyAsLong(jobId) > maxPendingRows) {
                    Thread.sleep(100);
                }
                String batchKey = "direct-" + index;
                running.add(CompletableFuture.runAsync(() -> rows.handle(batchKey, batch.json(), batch.rejected()),
                                workers)
                        .whenComplete((ok, failure) -> slots.release()));
                running.removeIf(CompletableFuture::isDone);
            }
            CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
        } catch (NoSuchKeyException e) {
            return finalizer.failed(jobId, "Import.ObjectNotFound", "The object " + object + " does not exist");
        } catch (CsvBatchReader.EmptyFileException e) {
            return finalizer.failed(jobId, "Import.EmptyFile", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return finalizer.failed(jobId, "Import.Interrupted", "The import was stopped");
        } catch (S3Exception e) {
            return finalizer.failed(jobId, "Import.ObjectUnreadable", object + ": " + e.getMessage());
        } catch (Exception e) {
            LOG.warn("Import {} of {} failed", jobId, object, e);
            CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).exceptionally(x -> null).join();
            return finalizer.failed(jobId, "Import.Failed", String.valueOf(e.getMessage()));
        }
        return finalizer.completed(jobId);
    }
}
