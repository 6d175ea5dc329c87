package io.cqrsworkers.stream;

import io.cqrsworkers.json.Jackson;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.Route;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The step of {@code POST /api/streams/dlq/replay} (see {@link StreamDeadLetterRoutes}): replays the dead-lettered
 * records of a table into every route consuming its stream ({@link DdbStreamConsumer#replayDeadLetters}).
 */
public final class DeadLetterReplay {

    static final int DEFAULT_MAX = 1000;

    /** Answers 200 with the replays, 400 without a table or deadLetterQueue, 404 when no route reads the table. */
    public void replay(@Header("table") String table, @Header("max") Integer max, Exchange exchange)
            throws Exception {
        String prefix = exchange.getContext().resolvePropertyPlaceholders("{{app.prefix:}}");
        List<Map<String, Object>> results = new ArrayList<>();
        int status = 200;
        String error = null;
        if (table == null || table.isBlank()) {
            status = 400;
            error = "the query parameter table is required";
        } else {
            for (Route route : exchange.getContext().getRoutes()) {
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
        exchange.getMessage().setBody(Jackson.MAPPER.writeValueAsString(error != null ? Map.of("error", error)
                : results));
    }
}
