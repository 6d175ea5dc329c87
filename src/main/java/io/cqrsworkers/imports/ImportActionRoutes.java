package io.cqrsworkers.imports;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.workflow.StartExecution;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.aws2.sqs.Sqs2Constants;

/**
 * The import action queue: import rows to run (single-row imports, CSV jobs to start) and {@code csv-batch-process}
 * messages to apply. A failed message keeps its reason ({@code importActions.deliveryFailed}) and comes back after
 * the queue's visibility timeout; after maxReceiveCount deliveries it is in {@code import-action-queue-dlq}, whose
 * route ends the message's job. Also the built-in strategy parts as routes, {@code direct:import-default.<part>}.
 */
public class ImportActionRoutes extends RouteBuilder {

    static final String ACTION = "ImportAction";
    private static final String MESSAGE_ID = "${header." + Sqs2Constants.MESSAGE_ID + "}";

    @Override
    public void configure() {
        // one message per poll: a consumer works through the messages it received one after the other, and a
        // csv-batch-process message is heavy (up to 100 rows), so they spread over the consumers
        from("aws2-sqs:{{queue:" + ImportActions.ACTION_QUEUE + "}}?waitTimeSeconds={{app.sqs.wait-time-seconds:10}}&maxMessagesPerPoll=1"
                + "&greedy=true&delay=10&concurrentConsumers={{app.import.queue-concurrency:8}}"
                + "&visibilityTimeout={{app.import.retry-delay-seconds:30}}&extendMessageVisibility=true")
                .routeId("import-action")
                // not handled: the message is not deleted and comes back
                .onException(Exception.class)
                    .bean(ImportActions.BEAN, "deliveryFailed(${exchangeProperty.ImportMessage}, " + MESSAGE_ID
                            + ", ${exception})")
                .end()
                .setProperty("ImportMessage", body())
                .unmarshal().json(JsonNode.class)
                .setHeader(ACTION).method(ImportActions.BEAN, "action")
                .choice()
                    .when(header(ACTION).isEqualTo(ImportActionQueue.CSV_BATCH))
                        .bean(CsvBatchProcessor.BEAN, "process(${body}, " + MESSAGE_ID + ")")
                    .when(header(ACTION).isEqualTo("single-row"))
                        .setHeader(DirectImport.JOB).method(ImportActions.BEAN, "rowId")
                        .bean(SingleImport.BEAN, "process(${header." + DirectImport.JOB + "}, " + MESSAGE_ID + ")")
                    .when(header(ACTION).isEqualTo(ImportActions.ZIP_JOB))
                        .to(ZipImportRoutes.UNPACK)
                    .otherwise()
                        .to("direct:import-csv-job")
                .end();

        // a CSV job's start message: claimed by its first message (another one for the same job is ignored), then
        // read here (DIRECT, while the message is held) or run as an import-csv execution named after the job
        // no error handler of its own: a failure must reach import-action's, which keeps the reason for the DLQ
        from("direct:import-csv-job").routeId("import-csv-job").errorHandler(noErrorHandler())
                .setHeader(DirectImport.JOB).method(ImportActions.BEAN, "rowId")
                .setBody().method(ImportActions.BEAN, "claim(${header." + DirectImport.JOB + "}, " + MESSAGE_ID + ")")
                .filter(body().isNotNull())
                    .setHeader(DirectImport.RESUME, simple("${body.resume}"))
                    .setBody(simple("${body.request}"))
                    .choice()
                        .when(simple("${body.processingMode} == 'STEP_FUNCTION'"))
                            .setHeader(StartExecution.MACHINE, constant(ImportActions.MACHINE))
                            .setHeader(StartExecution.NAME).method(ImportActions.BEAN, "executionName")
                            .setBody(simple("${body.toJson().toString()}"))
                            .doTry()
                                .to(StartExecution.URI)
                                .log(LoggingLevel.DEBUG, "Import ${header." + DirectImport.JOB + "}: execution ${body}")
                            .doCatch(Exception.class)
                                .bean(ImportActions.BEAN, "startFailed(${header." + DirectImport.JOB
                                        + "}, ${exception})")
                            .end()
                        .endChoice()
                        .otherwise()
                            .to(DirectImport.URI)
                    .end()
                .end();

        // messages that failed every delivery: their jobs end (see ImportActions.deadLetter)
        from("aws2-sqs:{{queue:" + ImportActions.ACTION_QUEUE + "-dlq}}?waitTimeSeconds={{app.sqs.wait-time-seconds:10}}")
                .routeId("import-action-dlq")
                .bean(ImportActions.BEAN, "deadLetter(${body}, " + MESSAGE_ID + ")");

        for (String part : new String[] {"transform", "validate", "compare", "map"}) {
            // a refused row is the caller's answer, not an error of this route to log
            from("direct:import-default." + part).routeId("import-default." + part).errorHandler(noErrorHandler())
                    .setBody().method(ImportStrategies.BEAN, "builtIn('" + part + "', ${header."
                            + ImportStrategies.TABLE + "}, ${header." + ImportStrategies.TENANT + "}, ${header."
                            + ImportStrategies.SOURCE + "}, ${body})");
        }
    }
}
