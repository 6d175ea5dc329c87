package io.cqrsworkers.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.Record;

/** The same route runs with {@code ddb-stream:} and with Camel's {@code aws2-ddbstream:} as its {@code from}. */
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
