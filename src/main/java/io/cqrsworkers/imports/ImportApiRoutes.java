package io.cqrsworkers.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.cqrsworkers.api.JsonResponses;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.InputStream;
import java.util.UUID;

/**
 * The CSV import API on the business port:
 * <pre>
 * POST /api/imports/csv             {bucket, key, tableName, tenantCode, processingMode}   202 + the job
 * POST /api/imports/csv?tableName=&tenantCode=[&processingMode=]  with a text/csv body: stored in the bucket, then
 *                                   imported                                               202 + the job
 * GET  /api/imports/csv?id=         the job with its counters                              200 | 404
 * POST /api/imports/{tableName}?tenantCode=   one row (a JSON object, like a CSV row): a single-row import,
 *                                   applied by the table's import strategy                 202 + the import
 * GET  /api/imports?id=             any import (single row or CSV job)                     200 | 404
 * </pre>
 * The API only writes the import row; its stream record queues it and the import action queue runs it.
 */
public class ImportApiRoutes extends RouteBuilder {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void configure() {
        ImportModule module = ImportModule.of(getContext());
        S3Client s3 = getContext().getRegistry().lookupByNameAndType("s3Client", S3Client.class);
        String bucket = getContext().resolvePropertyPlaceholders("{{bucket:bucket}}");

        onException(IllegalArgumentException.class).handled(true).process(e ->
                reply(e, 400, error("BadRequest", e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getMessage())));

        onException(JsonProcessingException.class).handled(true).process(JsonResponses::invalidJson);

        restConfiguration().component("platform-http").bindingMode(RestBindingMode.off);
        rest("/api/imports")
                .post("/csv").to("direct:import-csv-start")
                .get("/csv").to("direct:import-csv-get")
                .get().to("direct:import-get")
                .post("/{tableName}").to("direct:import-row");

        from("direct:import-row").routeId("api-import-row").process(e -> {
            String table = e.getMessage().getHeader("tableName", String.class);
            String tenant = e.getMessage().getHeader("tenantCode", String.class);
            if (tenant == null || tenant.isBlank()) {
                throw new IllegalArgumentException("Query parameter 'tenantCode' is required");
            }
            JsonNode row = JSON.readTree(e.getMessage().getBody(String.class));
            if (row == null || !row.isObject()) {
                throw new IllegalArgumentException("The body must be a JSON object: the row");
            }
            reply(e, 202, module.importRow(table, tenant, row));
        });

        from("direct:import-csv-start").routeId("api-import-csv-start").process(e -> {
            String contentType = e.getMessage().getHeader(Exchange.CONTENT_TYPE, "", String.class);
            JsonNode body;
            if (contentType.startsWith("text/csv")) {
                ObjectNode uploaded = JSON.createObjectNode();
                String tenant = e.getMessage().getHeader("tenantCode", String.class);
                String key = "csv-imports/" + tenant + "/" + UUID.randomUUID() + ".csv";
                // a local convenience: the upload is read whole; large files go to S3 first and pass {bucket,key}
                byte[] csv = e.getMessage().getBody(InputStream.class).readAllBytes();
                s3.putObject(b -> b.bucket(bucket).key(key).contentType("text/csv"), RequestBody.fromBytes(csv));
                uploaded.put("bucket", bucket).put("key", key)
                        .put("tableName", e.getMessage().getHeader("tableName", String.class))
                        .put("tenantCode", tenant)
                        .put("processingMode", e.getMessage().getHeader("processingMode", "DIRECT", String.class));
                body = uploaded;
            } else {
                body = JSON.readTree(e.getMessage().getBody(String.class));
            }
            reply(e, 202, module.start(ImportRequest.parse(body)));
        });

        // rest-dsl inlines each direct route into its REST route, so the two GETs have a route each
        from("direct:import-csv-get").routeId("api-import-csv-get").process(e -> get(module, e));
        from("direct:import-get").routeId("api-import-get").process(e -> get(module, e));
    }

    private static void get(ImportModule module, Exchange e) {
        String id = e.getMessage().getHeader("id", String.class);
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("Query parameter 'id' is required");
        }
        module.jobs().get(id).ifPresentOrElse(job -> reply(e, 200, job),
                () -> reply(e, 404, error("NotFound", "No import " + id)));
    }

    private static ObjectNode error(String code, String message) {
        ObjectNode error = JSON.createObjectNode();
        error.put("error", code).put("message", message);
        return error;
    }

    private static void reply(Exchange e, int status, JsonNode body) {
        e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        e.getMessage().setBody(body.toString());
    }
}
