package io.cqrsworkers.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;

/**
 * {@code POST /api/streams/dlq/replay?table=<table>[&max=<n>]} on the business port: replays the dead-lettered
 * records of that table into the route consuming its stream ({@link DdbStreamConsumer#replayDeadLetters}). The
 * table is the physical name or the logical one ({@code sample-command}, the prefix added). Answers 200 with
 * {@code [{table, replayed, deadLetteredAgain, leftForOtherTables}]}, 404 when no route consumes that table's stream,
 * 400 when its endpoint has no deadLetterQueue.
 */
public class StreamDeadLetterRoutes extends RouteBuilder {

    static final int DEFAULT_MAX = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void configure() {
        from("platform-http:/api/streams/dlq/replay?httpMethodRestrict=POST")
                .routeId("api-stream-dlq-replay")
                .process(this::replay);
    }

    private void replay(Exchange exchange) throws Exception {
        String table = exchange.getIn().getHeader("table", String.class);
        Integer max = exchange.getIn().getHeader("max", Integer.class);
        String prefix = getContext().resolvePropertyPlaceholders("{{app.prefix:}}");
        List<Map<String, Object>> results = new ArrayList<>();
        int status = 200;
        String error = null;
        if (table == null || table.isBlank()) {
            status = 400;
            error = "the query parameter table is required";
        } else {
            for (Route route : getContext().getRoutes()) {
                if (route.getConsumer() instanceof DdbStreamConsumer consumer
                        && (consumer.tableName().equals(table) || consumer.tableName().equals(prefix + table))) {
                    try {
                        DdbStreamConsumer.Replay r = consumer.replayDeadLetters(max == null ? DEFAULT_MAX : max);
                        results.add(Map.of("table", r.table(), "route", route.getRouteId(), "replayed", r.replayed(),
                                "deadLetteredAgain", r.deadLetteredAgain(),
                                "leftForOtherTables", r.leftForOtherTables()));
                    } catch (IllegalStateException e) {
                        status = 400;
                        error = e.getMessage();
                    }
                }
            }
            if (results.isEmpty() && error == null) {
                status = 404;
                error = "no ddb-stream route consumes table " + table;
            }
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(JSON.writeValueAsString(error != null ? Map.of("error", error) : results));
    }
}
