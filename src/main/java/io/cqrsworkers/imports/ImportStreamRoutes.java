package io.cqrsworkers.imports;

import io.cqrsworkers.workflow.StreamUris;
import org.apache.camel.builder.RouteBuilder;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * An import row's stream INSERT queues it (the original's ImportEventHandler): status QUEUED and a
 * {@code single-import-process} message to the import action queue, for single-row imports and CSV jobs alike. Only
 * CREATED rows are queued: a repeated record, or a job its creator runs itself (written PROCESSING), is ignored.
 */
public class ImportStreamRoutes extends RouteBuilder {

    @Override
    public void configure() {
        ImportModule module = ImportModule.of(getContext());
        from(StreamUris.of(getContext(), "{{table:" + ImportModule.TABLE + "}}", "workers-imports"))
                .routeId("import-stream")
                .filter(e -> {
                    Record record = e.getMessage().getBody(Record.class);
                    String pk = record.dynamodb().keys().get("pk").s();
                    return "INSERT".equals(record.eventNameAsString())
                            && (pk.startsWith(ImportJobs.CSV_PREFIX) || pk.startsWith(ImportJobs.SINGLE_PREFIX))
                            && module.jobs().status(pk + "#" + record.dynamodb().keys().get("sk").s(),
                                    ImportStatus.QUEUED, null, ImportStatus.CREATED);
                })
                .process(e -> {
                    Record record = e.getMessage().getBody(Record.class);
                    e.getMessage().setBody(ImportModule.queued(record.dynamodb().keys().get("pk").s(),
                            record.dynamodb().keys().get("sk").s()).toString());
                })
                .to("aws2-sqs:{{queue:" + ImportModule.ACTION_QUEUE + "}}");
    }
}
