package io.cqrsworkers.imports;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;

/**
 * DIRECT mode, the Distributed Map's mirror inside Camel. The body is the job's {@link ImportRequest} (sourceId = the
 * job), header {@value DirectImport#RESUME} says whether its start message ran it before:
 * <ol>
 * <li>aws2-s3 getObject streams the object (no stream caching: the file never sits in the heap);</li>
 * <li>camel-csv parses it lazily, and {@code directImport.rows} numbers the records as the map's reader does
 *     (and pauses while too many of the job's rows wait in the import action queue);</li>
 * <li>a streaming split on {@code collate(max-items-per-batch)} makes the same batches as the map's ItemBatcher,
 *     keyed {@code direct-<index>}; they run in parallel on the {@value DirectImport#POOL} pool (max-concurrency
 *     threads, a bounded queue, CallerRuns: the reader waits when every thread is busy); a resumed run skips the
 *     batches counted before; the first failed batch stops the split;</li>
 * <li>{@code directImport.batch} makes each batch's items as the map's ItemSelector does ({@code {"index","value"}}),
 *     on the batch's thread; the batch goes through {@code csvRowsHandler} (the map's children run the same bean),
 *     then {@code finalizeParentJob} records that the whole file was read.</li>
 * </ol>
 * A failed run first waits for its batches still running (the split does not); then a missing, empty or unreadable
 * file fails the job with the reason, and a transient failure or a stop is rethrown, so the job stays PROCESSING and
 * its start message's next delivery resumes it ({@code directImport.failed}).
 */
public class DirectImportRoutes extends RouteBuilder {

    /** The run's batches being handled ({@link DirectImport.Batches}). */
    private static final String BATCHES = "ImportBatches";

    @Override
    public void configure() {
        // no error handler of its own: what failed() rethrows reaches the caller's (import-action keeps the reason)
        from(DirectImport.URI).routeId("import-direct").streamCache("false").errorHandler(noErrorHandler())
                .setHeader(DirectImport.JOB, simple("${body.sourceId}"))
                .setHeader(DirectImport.ATTRIBUTES, simple("${body.toJson()}"))
                .setHeader(AWS2S3Constants.OVERRIDE_BUCKET_NAME, simple("${body.bucket}"))
                .setHeader(AWS2S3Constants.KEY, simple("${body.key}"))
                .doTry()
                    .to("aws2-s3:{{bucket:bucket}}?operation=getObject")
                    .setProperty("ImportObject", body())
                    // every batch's exchange copies the headers: the object's metadata is not needed past here
                    .removeHeaders("CamelAwsS3*", AWS2S3Constants.OVERRIDE_BUCKET_NAME, AWS2S3Constants.KEY)
                    // undecodable bytes become U+FFFD whatever the JVM's default charset
                    .setProperty(Exchange.CHARSET_NAME, constant("UTF-8"))
                    .unmarshal(dataFormat().csv().lazyLoad(true).end())
                    .setBody().method(DirectImport.BEAN, "rows(${body}, ${header." + DirectImport.JOB
                            + "}, {{app.import.max-items-per-batch}})")
                    .setProperty(BATCHES).method(DirectImport.BEAN, "batches")
                    .split(simple("${collate({{app.import.max-items-per-batch}})}")).streaming()
                            .parallelProcessing().executorService(DirectImport.POOL).stopOnException()
                        .setHeader(DirectImport.BATCH_KEY, simple("direct-${exchangeProperty.CamelSplitIndex}"))
                        .filter().method(DirectImport.BEAN, "toRead(${header." + DirectImport.JOB + "}, ${header."
                                + DirectImport.BATCH_KEY + "}, ${header." + DirectImport.RESUME + "}, "
                                + "${exchangeProperty." + BATCHES + "})")
                            .doTry()
                                .setBody().method(DirectImport.BEAN, "batch(${body}, ${header."
                                        + DirectImport.ATTRIBUTES + "})")
                                .bean(CsvRowsHandler.BEAN, "handle(${header." + DirectImport.BATCH_KEY + "}, ${body})")
                                    .id(DirectImport.HANDLER_STEP)
                            .doFinally()
                                .bean(DirectImport.BEAN, "ended(${exchangeProperty." + BATCHES + "})")
                            .end()
                        .end()
                    .end()
                    .setBody().method(FinalizeParentJob.BEAN, "completed(${header." + DirectImport.JOB + "})")
                .endDoTry()
                .doCatch(Exception.class)
                    .bean(DirectImport.BEAN, "failed(${header." + DirectImport.JOB + "}, ${header."
                            + AWS2S3Constants.OVERRIDE_BUCKET_NAME + "}, ${header." + AWS2S3Constants.KEY
                            + "}, ${exception}, ${exchangeProperty." + BATCHES + "})")
                .endDoTry()
                .doFinally()
                    .bean(DirectImport.BEAN, "close(${exchangeProperty.ImportObject})")
                .end();
    }
}
