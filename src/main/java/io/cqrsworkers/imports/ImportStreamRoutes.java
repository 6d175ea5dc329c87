package io.cqrsworkers.imports;

import io.cqrsworkers.workflow.StreamUris;
import org.apache.camel.builder.RouteBuilder;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * An import row's stream INSERT queues it (the original's ImportEventHandler): status QUEUED and a
 * {@code single-import-process} message to the import action queue, for single-row imports and CSV jobs alike
 * ({@link ImportModule#queue}). A record delivered again (the service stopped between the status and the message)
 * queues a QUEUED row again; the action queue's consumer runs each row once (see {@link ImportJobs#claim}).
 */
public class ImportStreamRoutes extends RouteBuilder {

    @Override
    public void configure() {
        ImportModule module = ImportModule.of(getContext());
        from(StreamUris.of(getContext(), "{{table:" + ImportModule.TABLE + "}}", "workers-imports"))
                .routeId("import-stream")
                .process(e -> e.getMessage().setBody(module.queue(e.getMessage().getBody(Record.class))))
                .filter(body().isNotNull())
                .to("aws2-sqs:{{queue:" + ImportModule.ACTION_QUEUE + "}}");
    }
}
