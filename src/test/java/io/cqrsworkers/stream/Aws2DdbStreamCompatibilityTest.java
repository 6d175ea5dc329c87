package io.cqrsworkers.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * The same route runs with {@code ddb-stream:} and with Camel's {@code aws2-ddbstream:} as its {@code from};
 * {@code ddb-stream:} also works from a YAML route.
 */
class Aws2DdbStreamCompatibilityTest {

    private static StreamTestKit kit;

    @BeforeAll
    static void start() throws Exception {
        kit = new StreamTestKit(null);
    }

    @AfterAll
    static void stop() {
        kit.close();
    }

    /** The route under test: keeps INSERTs and reads only what both endpoints provide. */
    static final class InsertRoute extends RouteBuilder {
        private final String from;
        final List<String> pks = new java.util.concurrent.CopyOnWriteArrayList<>();
        final Map<String, Object> headers = new ConcurrentHashMap<>();

        InsertRoute(String from) {
            this.from = from;
        }

        @Override
        public void configure() {
            from(from).routeId("stream")
                    .filter(simple("${body.eventNameAsString} == 'INSERT'"))
                    .process(e -> {
                        Record record = e.getIn().getBody(Record.class);
                        headers.put("source", e.getIn().getHeader(DdbStreamHeaders.EVENT_SOURCE));
                        headers.put("id", e.getIn().getHeader(DdbStreamHeaders.EVENT_ID, String.class));
                        pks.add(record.dynamodb().newImage().get("pk").s());
                    });
        }
    }

    @Test
    void ddbStream() throws Exception {
        String table = kit.createTable();
        assertRouteWorks(table, kit.ddbStreamUri(table, "app-" + table, ""));
    }

    @Test
    void aws2DdbStream() throws Exception {
        String table = kit.createTable();
        assertRouteWorks(table, "aws2-ddbstream:" + table + "?region=" + StreamTestKit.REGION
                + "&overrideEndpoint=true&uriEndpointOverride=" + kit.endpoint
                + "&accessKey=test&secretKey=test&streamIteratorType=FROM_START&delay=100");
    }

    @Test
    void ddbStreamFromYaml() throws Exception {
        String table = kit.createTable();
        List<String> pks = new java.util.concurrent.CopyOnWriteArrayList<>();
        CamelContext context = kit.newContext();
        context.getRegistry().bind("collect", (org.apache.camel.Processor) e ->
                pks.add(e.getIn().getBody(Record.class).dynamodb().keys().get("pk").s()));
        StringBuilder parameters = new StringBuilder();
        for (String option : ("applicationName=app-" + table + "&eventNames=INSERT&" + StreamTestKit.FAST).split("&")) {
            String[] kv = option.split("=");
            parameters.append("\n        ").append(kv[0]).append(": \"").append(kv[1]).append('"');
        }
        String yaml = """
                - route:
                    id: stream
                    from:
                      uri: "ddb-stream:%s"
                      parameters:%s
                      steps:
                        - process:
                            ref: collect
                """.formatted(table, parameters);
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("stream.camel.yaml", yaml));
        context.start();
        kit.put(table, "one");
        kit.modify(table, "one");
        kit.put(table, "two");
        await().atMost(Duration.ofSeconds(40)).until(() -> pks.contains("two"));
        assertThat(pks).containsExactly("one", "two");
        context.stop();
    }

    private void assertRouteWorks(String table, String from) throws Exception {
        InsertRoute route = new InsertRoute(from);
        CamelContext context = kit.newContext();
        context.addRoutes(route);
        kit.put(table, "one");
        context.start();
        kit.put(table, "two");
        kit.modify(table, "two");
        kit.put(table, "three");
        await().atMost(Duration.ofSeconds(40)).until(() -> route.pks.contains("three"));
        assertThat(route.pks).containsExactly("one", "two", "three");
        assertThat(route.headers.get("source")).isEqualTo("aws:dynamodb");
        assertThat(route.headers.get("id")).isNotNull();
        context.stop();
    }
}
