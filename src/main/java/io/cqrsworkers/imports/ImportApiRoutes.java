package io.cqrsworkers.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.cqrsworkers.api.JsonResponses;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.apache.camel.model.rest.RestBindingMode;

/**
 * The CSV import API on the business port:
 * <pre>
 * POST /api/imports/csv             {bucket, key, tableName, tenantCode, processingMode}   202 + the job
 * POST /api/imports/csv?tableName=&tenantCode=[&processingMode=]  with a text/csv body: stored in the bucket, then
 *                                   imported                                               202 + the job
 * POST /api/imports/zip             {bucket, key, tableName?, tenantCode, processingMode}  202 + the ZIP job;
 *                                   400 when it is not a ZIP or holds no file
 * POST /api/imports/zip?tenantCode=[&tableName=][&processingMode=]  with an application/zip body: stored in the
 *                                   bucket, then imported                                  202 + the ZIP job
 * GET  /api/imports/csv?id=         the job with its counters                              200 | 404
 * POST /api/imports/{tableName}?tenantCode=   one row (a JSON object, like a CSV row): a single-row import,
 *                                   applied by the table's import strategy                 202 + the import
 * GET  /api/imports?id=             any import (single row or CSV job)                     200 | 404
 * </pre>
 * The API only writes the import row; its stream record queues it and the import action queue runs it.
 */
public class ImportApiRoutes extends RouteBuilder {

    private static final String REPLY = "direct:import-api-reply";

    @Override
    public void configure() {
        onException(IllegalArgumentException.class).handled(true)
                .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(400))
                .setBody().method(ImportApi.BEAN, "badRequest(${exception.message})")
                .to(REPLY);
        onException(JsonProcessingException.class).handled(true).process(JsonResponses::invalidJson);

        restConfiguration().component("platform-http").bindingMode(RestBindingMode.off);
        rest("/api/imports")
                .post("/csv").to("direct:import-csv-start")
                .post("/zip").to("direct:import-zip-start")
                .get("/csv").to("direct:import-csv-get")
                .get().to("direct:import-get")
                .post("/{tableName}").to("direct:import-row");

        from("direct:import-row").routeId("api-import-row")
                .setBody().method(ImportApi.BEAN, "importRow(${header.tableName}, ${header.tenantCode}, ${body})")
                .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(202))
                .to(REPLY);

        from("direct:import-csv-start").routeId("api-import-csv-start")
                .choice()
                    // a local convenience: the upload is read whole; large files go to S3 first and pass {bucket,key}
                    .when(header(Exchange.CONTENT_TYPE).startsWith("text/csv"))
                        .setHeader(AWS2S3Constants.KEY).method(ImportApi.BEAN, "uploadKey(${header.tenantCode})")
                        .setHeader(AWS2S3Constants.CONTENT_TYPE, constant("text/csv"))
                        .convertBodyTo(byte[].class)
                        .to("aws2-s3:{{bucket:bucket}}")  // putObject
                        .setBody().method(ImportApi.BEAN, "uploaded('{{bucket:bucket}}', ${header."
                                + AWS2S3Constants.KEY + "}, ${header.tableName}, ${header.tenantCode}, "
                                + "${header.processingMode})")
                .end()
                .setBody().method(ImportApi.BEAN, "startCsv")
                .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(202))
                .to(REPLY);

        from("direct:import-zip-start").routeId("api-import-zip-start")
                .choice()
                    // a local convenience like text/csv above: the upload is held whole by the HTTP server
                    .when(simple("${header.Content-Type} starts with 'application/zip' || ${header.Content-Type} "
                            + "starts with 'application/x-zip' || ${header.Content-Type} starts with "
                            + "'application/octet-stream'"))
                        .setHeader(AWS2S3Constants.KEY).method(ZipImportApi.BEAN, "uploadKey(${header.tenantCode})")
                        .setHeader(AWS2S3Constants.CONTENT_TYPE, constant("application/zip"))
                        .convertBodyTo(byte[].class)
                        .to("aws2-s3:{{bucket:bucket}}")  // putObject
                        .setBody().method(ZipImportApi.BEAN, "uploaded('{{bucket:bucket}}', ${header."
                                + AWS2S3Constants.KEY + "}, ${header.tableName}, ${header.tenantCode}, "
                                + "${header.processingMode})")
                .end()
                .setBody().method(ZipImportApi.BEAN, "request")
                .setProperty("ZipRequest", body())
                // the first 4 bytes: not a ZIP, or a ZIP without files, is answered 400 now, as the original does
                .setHeader(AWS2S3Constants.OVERRIDE_BUCKET_NAME, simple("${body.bucket}"))
                .setHeader(AWS2S3Constants.KEY, simple("${body.key}"))
                .setHeader(AWS2S3Constants.RANGE_START, constant(0L))
                .setHeader(AWS2S3Constants.RANGE_END, constant(3L))
                .doTry()
                    .to("aws2-s3:{{bucket:bucket}}?operation=getObjectRange")
                .doCatch(Exception.class)
                    // the reason why not; thrown after the try block, where this builder's onException answers it
                    .setProperty("ZipUnreadable").method(ZipImportApi.BEAN,
                            "unreadable(${exchangeProperty.ZipRequest}, ${exception})")
                .end()
                .filter(exchangeProperty("ZipUnreadable").isNotNull())
                    .throwException(ZipRejectedException.class, "${exchangeProperty.ZipUnreadable}")
                .end()
                .bean(ZipImportApi.BEAN, "checkArchive")
                .setBody().method(ZipImportApi.BEAN, "create(${exchangeProperty.ZipRequest})")
                .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(202))
                .to(REPLY);

        // rest-dsl inlines each direct route into its REST route, so the two GETs have a route each
        from("direct:import-csv-get").routeId("api-import-csv-get").to("direct:import-find");
        from("direct:import-get").routeId("api-import-get").to("direct:import-find");
        from("direct:import-find").routeId("api-import-find")
                .setBody().method(ImportApi.BEAN, "find(${header.id})")
                .choice()
                    .when(body().isNull())
                        .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(404))
                        .setBody().method(ImportApi.BEAN, "notFound(${header.id})")
                    .endChoice()
                    .otherwise()
                        .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(200))
                .end()
                .to(REPLY);

        // a JSON answer: request headers are not echoed back
        from(REPLY).routeId("api-import-reply")
                .removeHeaders("*", Exchange.HTTP_RESPONSE_CODE)
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                .convertBodyTo(String.class);
    }
}
