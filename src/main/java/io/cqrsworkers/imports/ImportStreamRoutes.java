package io.cqrsworkers.imports;

import io.cqrsworkers.workflow.StreamUris;
import org.apache.camel.builder.RouteBuilder;

/**
 * An import row's stream INSERT queues it (the original's ImportEventHandler): status QUEUED and a
 * {@code single-import-process} message to the import action queue, for single-row imports and CSV jobs alike
 * ({@link ImportActions#queue}). A record delivered again (the service stopped between the status and the message)
 * queues a QUEUED row again; the action queue's consumer runs each row once (see {@link ImportJobs#claim}). ZIP
 * jobs are queued alike; a MODIFY record of a CSV job that ended with a task token goes to
 * {@link ZipImportRoutes#FILE_ENDED} (a ZIP file's CSV job that ended). Every other record (a job's counters, a
 * batch's marker, the ZIP job's progress) is dropped first thing, on the record alone ({@link ImportStreamRecords}).
 */
public class ImportStreamRoutes extends RouteBuilder {

    @Override
    public void configure() {
        // MODIFY too: a ZIP file's CSV job ends by a MODIFY
        from(StreamUris.of(getContext(), "{{table:" + ImportActions.TABLE + "}}", "workers-imports", "INSERT,MODIFY"))
                .routeId("import-stream")
                // only the records that start work: an import row written CREATED, a CSV job ended with a token
                .filter().method(ImportStreamRecords.class, "actedOn")
                    .choice()
                        // a changed row: the end of a ZIP file's CSV job answers the ZIP orchestrator
                        .when(simple("${body.eventNameAsString()} == 'MODIFY'"))
                            .to(ZipImportRoutes.FILE_ENDED)
                        .otherwise()
                            .setBody().method(ImportActions.BEAN, "queue")
                            .filter(body().isNotNull())
                                .to("aws2-sqs:{{queue:" + ImportActions.ACTION_QUEUE + "}}")
                            .end()
                    .end()
                .end();
    }
}
