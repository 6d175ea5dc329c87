package io.cqrsworkers.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.sqs.model.Message;

/** Delivery, filtering, exchange shape, readiness, metrics and the dead-letter queue, on one shard. */
class DdbStreamConsumerTest {

    private static StreamTestKit kit;

    @BeforeAll
    static void start() throws Exception {
        kit = new StreamTestKit(null);
    }

    @AfterAll
    static void stop() {
        kit.close();
    }

    @Test
    void deliversInsertsInOrderAndFiltersModifyAndRemove() throws Exception {
        String table = kit.createTable();
        kit.put(table, "before-start");
        StreamTestKit.Deliveries got = new StreamTestKit.Deliveries("c1");
        Map<String, Object> headers = new ConcurrentHashMap<>();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();

        CamelContext context = kit.newContext();
        context.getRegistry().bind("meters", meters);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(kit.ddbStreamUri(table, "app-" + table, "eventNames=INSERT&startingPosition=TRIM_HORIZON"))
                        .routeId("stream")
                        .process(e -> {
                            if (headers.isEmpty()) {
                                headers.putAll(e.getIn().getHeaders());
                            }
                        })
                        .process(got::accept);
            }
        });
        try {
            context.start();
            DdbStreamConsumer consumer = StreamTestKit.consumer(context);
            await().atMost(Duration.ofSeconds(40)).until(() -> consumer.readiness().call().getState() == HealthCheck.State.UP);

            for (int i = 0; i < 20; i++) {
                kit.put(table, "item-" + i);
            }
            for (int i = 0; i < 5; i++) {
                kit.modify(table, "item-" + i);
                kit.delete(table, "item-" + (19 - i));
            }
            kit.put(table, "last");
            await().atMost(Duration.ofSeconds(30)).until(() -> got.pks().contains("last"));

            List<String> expected = new java.util.ArrayList<>(List.of("before-start"));
            IntStream.range(0, 20).forEach(i -> expected.add("item-" + i));
            expected.add("last");
            assertThat(got.pks()).containsExactlyElementsOf(expected);
            assertThat(got.snapshot()).allMatch(d -> d.eventName().equals("INSERT"));

            assertThat(headers).containsEntry(DdbStreamHeaders.EVENT_SOURCE, "aws:dynamodb")
                    .containsKeys(DdbStreamHeaders.EVENT_ID, DdbStreamHeaders.SHARD_ID, DdbStreamHeaders.SEQUENCE_NUMBER,
                            DdbStreamHeaders.APPROXIMATE_ARRIVAL)
                    .containsEntry(DdbStreamHeaders.EVENT_NAME, "INSERT")
                    .containsEntry(DdbStreamHeaders.ATTEMPT, 1);

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(meters.get("ddbstream.records.delivered").counter().count()).isEqualTo(22);
                assertThat(meters.get("ddbstream.records.filtered").counter().count()).isEqualTo(10);
                assertThat(meters.get("ddbstream.checkpoints").counter().count()).isPositive();
                assertThat(meters.get("ddbstream.leases.held").gauge().value()).isEqualTo(1);
            });

            context.stop();
            assertThat(consumer.readiness().call().getState()).isEqualTo(HealthCheck.State.DOWN);
        } finally {
            context.stop();
        }
    }

    @Test
    void poisonRecordGoesToTheDeadLetterQueueAfterMaxAttemptsAndTheShardMovesOn() throws Exception {
        String table = kit.createTable();
        String dlq = kit.createQueue("dlq-" + table);
        AtomicInteger poisonAttempts = new AtomicInteger();
        StreamTestKit.Deliveries got = new StreamTestKit.Deliveries("c1");

        CamelContext context = kit.newContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(kit.ddbStreamUri(table, "app-" + table,
                        "eventNames=INSERT&maxAttempts=3&retryDelayMs=50&maxRetryDelayMs=200&deadLetterQueue=" + dlq))
                        .routeId("stream")
                        .process(e -> {
                            Record r = e.getIn().getBody(Record.class);
                            if (r.dynamodb().keys().get("pk").s().equals("poison")) {
                                poisonAttempts.incrementAndGet();
                                throw new IllegalArgumentException("cannot handle poison");
                            }
                        })
                        .process(got::accept);
            }
        });
        try {
            context.start();
            kit.put(table, "a");
            kit.put(table, "poison");
            kit.put(table, "b");
            await().atMost(Duration.ofSeconds(40)).until(() -> got.pks().contains("b"));
            assertThat(got.pks()).containsExactly("a", "b");
            assertThat(poisonAttempts).hasValue(3);

            List<Message> messages = kit.sqs().receiveMessage(b -> b.queueUrl(dlq).waitTimeSeconds(5)).messages();
            assertThat(messages).hasSize(1);
            JsonNode body = new ObjectMapper().readTree(messages.get(0).body());
            assertThat(body.path("table").asText()).isEqualTo(table);
            assertThat(body.path("attempts").asInt()).isEqualTo(3);
            assertThat(body.path("eventName").asText()).isEqualTo("INSERT");
            assertThat(body.path("error").path("message").asText()).isEqualTo("cannot handle poison");
            assertThat(body.path("record").path("dynamodb").path("Keys").path("pk").path("S").asText()).isEqualTo("poison");
        } finally {
            context.stop();
        }
    }
}
