package io.cqrsworkers.imports;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.aws2.sqs.Sqs2Constants;

/**
 * The import action queue: import rows to run (single-row imports, CSV jobs to start) and {@code csv-batch-process}
 * messages to apply. A failed message comes back after the queue's visibility timeout, and after maxReceiveCount
 * deliveries it is in {@code import-action-queue-dlq}, whose route ends the message's job. Also the built-in strategy parts as routes,
 * {@code direct:import-default.<part>}.
 */
public class ImportActionRoutes extends RouteBuilder {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void configure() {
        ImportModule module = ImportModule.of(getContext());
        // one message per poll: a consumer works through the messages it received one after the other, and a
        // csv-batch-process message is heavy (up to 100 rows), so they spread over the consumers
        from("aws2-sqs:{{queue:" + ImportModule.ACTION_QUEUE + "}}?waitTimeSeconds=5&maxMessagesPerPoll=1"
                + "&greedy=true&delay=10&concurrentConsumers={{app.import.queue-concurrency:8}}"
                + "&visibilityTimeout={{app.import.retry-delay-seconds:30}}&extendMessageVisibility=true")
                .routeId("import-action")
                .process(e -> module.handle(JSON.readTree(e.getMessage().getBody(String.class)),
                        e.getMessage().getHeader(Sqs2Constants.MESSAGE_ID, String.class)));

        // messages that failed every delivery: their jobs end (see ImportModule.deadLetter)
        from("aws2-sqs:{{queue:" + ImportModule.ACTION_QUEUE + "-dlq}}?waitTimeSeconds=5")
                .routeId("import-action-dlq")
                .process(e -> module.deadLetter(e.getMessage().getBody(String.class),
                        e.getMessage().getHeader(Sqs2Constants.MESSAGE_ID, String.class)));

        for (String part : new String[] {"transform", "validate", "compare", "map"}) {
            from("direct:import-default." + part).routeId("import-default." + part)
                    .process(e -> e.getMessage().setBody(module.strategies().builtIn(part, new ImportTarget(
                            e.getMessage().getHeader(ImportStrategies.TABLE, String.class),
                            e.getMessage().getHeader(ImportStrategies.TENANT, String.class),
                            e.getMessage().getHeader(ImportStrategies.SOURCE, String.class)),
                            JSON.readTree(e.getMessage().getBody(String.class))).toString()));
        }
    }
}
