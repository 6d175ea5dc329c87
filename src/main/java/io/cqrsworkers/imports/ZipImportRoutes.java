package io.cqrsworkers.imports;

import io.cqrsworkers.callback.SfnTaskHeaders;
import io.cqrsworkers.workflow.StartExecution;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.apache.camel.component.aws2.sqs.Sqs2Constants;

/**
 * ZIP imports after the API ({@code api-import-zip-start} in ImportApiRoutes wrote the job):
 * <ol>
 * <li>{@value #UNPACK} (a ZIP job's start message on the import action queue): claim, aws2-s3 getObject streamed,
 *     a streaming split over the archive's entries (each checked and inflated to a temporary file by
 *     {@link ZipEntries}), aws2-s3 putObject of each to {@code csv-imports/<tenant>/<zip id>/<name>} (the temporary
 *     file deleted after the write), the sorted files on the job, then the orchestrator through
 *     {@code direct:start-execution};</li>
 * <li>{@value #FILE_ENDED} (the import stream, a CSV job's record): a ZIP file's CSV job that ended answers its
 *     orchestrator's task token through {@code sfn-task:success}.</li>
 * </ol>
 * The orchestrator's worker steps are in ImportStepRoutes.
 */
public class ZipImportRoutes extends RouteBuilder {

    public static final String UNPACK = "direct:import-zip-unpack";
    public static final String FILE_ENDED = "direct:import-zip-file-ended";
    private static final String RUN = "ZipRun";
    private static final String OBJECT = "ZipObject";
    private static final String ENTRIES = "ZipEntries";

    @Override
    public void configure() {
        // no error handler of its own: what failed() rethrows reaches import-action's (the message comes back)
        from(UNPACK).routeId("import-zip-unpack").streamCache("false").errorHandler(noErrorHandler())
                .setHeader(DirectImport.JOB).method(ImportActions.BEAN, "rowId")
                .setBody().method(ZipUnpack.BEAN, "claim(${header." + DirectImport.JOB + "}, ${header."
                        + Sqs2Constants.MESSAGE_ID + "})")
                .filter(body().isNotNull())
                    .setProperty(RUN, body())
                    .doTry()
                        // a run resumed after its files were recorded goes straight to the start
                        .filter(simple("${body.unpacked} == false"))
                            .setHeader(AWS2S3Constants.OVERRIDE_BUCKET_NAME, simple("${body.request.bucket}"))
                            .setHeader(AWS2S3Constants.KEY, simple("${body.request.key}"))
                            .to("aws2-s3:{{bucket:bucket}}?operation=getObject")
                            .setProperty(OBJECT, body())
                            .setBody().method(ZipUnpack.BEAN, "entries(${body}, ${exchangeProperty." + RUN + "})")
                            .setProperty(ENTRIES, body())
                            .split(body()).streaming().stopOnException()
                                .setHeader(AWS2S3Constants.KEY, simple("${body.key}"))
                                .setHeader(AWS2S3Constants.CONTENT_TYPE, constant("text/csv"))
                                .setBody(simple("${body.file.toFile()}"))
                                .to("aws2-s3:{{bucket:bucket}}?deleteAfterWrite=true")  // putObject
                            .end()
                            .bean(ZipUnpack.BEAN, "unpacked(${exchangeProperty." + RUN + "}, ${exchangeProperty."
                                    + ENTRIES + "})")
                        .end()
                        .setHeader(StartExecution.MACHINE, constant(ZipOrchestration.MACHINE))
                        .setHeader(StartExecution.NAME).method(ZipUnpack.BEAN, "executionName(${exchangeProperty."
                                + RUN + "})")
                        .setBody().method(ZipUnpack.BEAN, "executionInput(${exchangeProperty." + RUN + "})")
                        .to(StartExecution.URI)
                        .bean(ZipUnpack.BEAN, "started(${exchangeProperty." + RUN + "}, ${body})")
                    .endDoTry()
                    .doCatch(Exception.class)
                        .bean(ZipUnpack.BEAN, "failed(${exchangeProperty." + RUN + "}, ${exception})")
                    .doFinally()
                        .bean(ZipUnpack.BEAN, "close(${exchangeProperty." + OBJECT + "}, ${exchangeProperty."
                                + ENTRIES + "})")
                    .end()
                .end();

        // body: the stream record; a failure (SendTaskSuccess unreachable) fails the record, which the stream retries
        from(FILE_ENDED).routeId("import-zip-file-ended")
                .setBody().method(ZipOrchestration.BEAN, "image")
                .setBody().method(ZipOrchestration.BEAN, "fileEnd")
                .filter(body().isNotNull())
                    .bean(ZipOrchestration.BEAN, "fileEnded")
                    .setHeader(SfnTaskHeaders.TOKEN, simple("${body.token}"))
                    .setBody(simple("${body.output.toString()}"))
                    .to("sfn-task:success")
                .end();
    }
}
