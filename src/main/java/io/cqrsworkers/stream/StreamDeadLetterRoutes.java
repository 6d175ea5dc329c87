package io.cqrsworkers.stream;

import org.apache.camel.builder.RouteBuilder;

/**
 * {@code POST /api/streams/dlq/replay?table=<table>[&max=<n>]} on the business port: replays the dead-lettered
 * records of that table into the route consuming its stream ({@link DdbStreamConsumer#replayDeadLetters}). The
 * table is the physical name or the logical one ({@code sample-command}, the prefix added). Answers 200 with
 * {@code [{table, route, replayed, deadLetteredAgain, leftForOtherTables}]}, 404 when no route consumes that
 * table's stream, 400 when its endpoint has no deadLetterQueue.
 */
public class StreamDeadLetterRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("platform-http:/api/streams/dlq/replay?httpMethodRestrict=POST")
                .routeId("api-stream-dlq-replay")
                .bean(DeadLetterReplay.class, "replay");
    }
}
