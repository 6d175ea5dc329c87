package io.cqrsworkers.workflow;

import org.apache.camel.CamelContext;

/**
 * The consumer URI of a table's DynamoDB stream (INSERT records unless told otherwise), shared by the pipelines: this project's
 * ddb-stream (KCL: checkpoints, leases shared by replicas), or Camel's aws2-ddbstream when
 * {@code app.streams.component=aws2-ddbstream} (no checkpoint: for trials only). Both deliver the same exchange
 * (a {@code Record} body), so the routes do not change.
 */
public final class StreamUris {

    private StreamUris() {
    }

    /** @param application the KCL application (lease table) name, unique per consuming route */
    public static String of(CamelContext context, String table, String application) {
        return of(context, table, application, "INSERT");
    }

    /** @param eventNames the record kinds the route is given, comma-separated (INSERT, MODIFY, REMOVE) */
    public static String of(CamelContext context, String table, String application, String eventNames) {
        String component = context.resolvePropertyPlaceholders("{{app.streams.component:ddb-stream}}");
        if ("aws2-ddbstream".equals(component)) {
            return "aws2-ddbstream:" + table + "?streamIteratorType=FROM_START&delay=200";
        }
        return "ddb-stream:" + table + "?applicationName={{app.prefix}}" + application
                + "&eventNames=" + eventNames + "&startingPosition=TRIM_HORIZON"
                + "&deadLetterQueue={{queue:stream-dead-letter-queue}}&{{app.streams.options}}";
    }
}
