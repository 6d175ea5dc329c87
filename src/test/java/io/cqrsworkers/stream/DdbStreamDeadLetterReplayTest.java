package io.cqrsworkers.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Dead-lettered stream records replayed into their route, on the embedded DynamoDB and SQS. */
class DdbStreamDeadLetterReplayTest {

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
    void aReplayDeliversTheRecordAsTheFirstDeliveryDidAndAFailingOneGoesBackToTheQueue() throws Exception {
        String table = kit.createTable();
        String dlq = kit.createQueue("stream-dlq-" + table);
        Map<String, Boolean> failing = new ConcurrentHashMap<>(Map.of("poison", true));
        List<Map<String, Object>> seen = new CopyOnWriteArrayList<>();
        CamelContext context = kit.newContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(kit.ddbStreamUri(table, "app-" + table, "eventNames=INSERT&maxAttempts=2&retryDelayMs=10"
                        + "&deadLetterQueue=" + dlq)).routeId("stream")
                        .process(e -> {
                            Record r = e.getIn().getBody(Record.class);
                            String pk = r.dynamodb().keys().get("pk").s();
                            Map<String, Object> shape = new java.util.HashMap<>(e.getIn().getHeaders());
                            shape.put("pk", pk);
                            shape.put("body", r);
                            seen.add(shape);
                            if (failing.getOrDefault(pk, false)) {
                                throw new IllegalStateException("cannot take " + pk + " yet");
                            }
                        });
            }
        });
        context.start();
        DdbStreamConsumer consumer = StreamTestKit.consumer(context);
        await().atMost(Duration.ofSeconds(40)).until(() -> consumer.readiness().call().getState() == HealthCheck.State.UP);

        kit.put(table, "poison");
        kit.put(table, "after");
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.stream().anyMatch(s -> s.get("pk").equals("after")));
        assertThat(letters(dlq)).isEqualTo(1);
        Map<String, Object> first = seen.stream().filter(s -> s.get("pk").equals("poison")).findFirst().orElseThrow();

        failing.put("poison", false);
        DdbStreamConsumer.Replay replay = consumer.replayDeadLetters(100);
        assertThat(replay.replayed()).isEqualTo(1);
        assertThat(replay.deadLetteredAgain()).isZero();
        assertThat(letters(dlq)).as("deleted once processed").isZero();
        Map<String, Object> again = seen.get(seen.size() - 1);
        assertThat(again.get("pk")).isEqualTo("poison");
        // the same exchange as the first delivery: same record, same headers
        assertThat(again.get("body")).isEqualTo(first.get("body"));
        for (String header : List.of(DdbStreamHeaders.EVENT_NAME, DdbStreamHeaders.SHARD_ID,
                DdbStreamHeaders.SEQUENCE_NUMBER, DdbStreamHeaders.EVENT_ID, DdbStreamHeaders.EVENT_SOURCE,
                DdbStreamHeaders.APPROXIMATE_ARRIVAL, DdbStreamHeaders.ATTEMPT)) {
            assertThat(again.get(header)).as(header).isEqualTo(first.get(header));
        }

        // failing again: back in the queue (a new letter), nothing lost
        kit.put(table, "poison-2");
        failing.put("poison-2", true);
        await().atMost(Duration.ofSeconds(30)).until(() -> letters(dlq) == 1);
        int deliveriesBefore = seen.size();
        DdbStreamConsumer.Replay failed = consumer.replayDeadLetters(100);
        assertThat(failed.replayed()).isZero();
        assertThat(failed.deadLetteredAgain()).isEqualTo(1);
        assertThat(seen.size() - deliveriesBefore).as("maxAttempts deliveries").isEqualTo(2);
        assertThat(letters(dlq)).isEqualTo(1);
        String body = kit.sqs().receiveMessage(r -> r.queueUrl(dlq)).messages().get(0).body();
        assertThat(body).contains("\"table\":\"" + table + "\"").contains("cannot take poison-2 yet");
    }

    private static int letters(String url) {
        Map<String, String> a = kit.sqs().getQueueAttributes(r -> r.queueUrl(url)
                .attributeNames(QueueAttributeName.ALL)).attributesAsStrings();
        return Integer.parseInt(a.get("ApproximateNumberOfMessages"))
                + Integer.parseInt(a.get("ApproximateNumberOfMessagesNotVisible"));
    }
}
