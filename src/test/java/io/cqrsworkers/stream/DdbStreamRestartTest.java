package io.cqrsworkers.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Stop (gracefully or like kill -9) while records flow, write more, start again: every INSERT arrives. */
class DdbStreamRestartTest {

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
    void gracefulStopAndRestartDeliversEveryInsertExactlyOnce() throws Exception {
        String table = kit.createTable();
        String uri = kit.ddbStreamUri(table, "app-" + table, "eventNames=INSERT&batchSize=5");
        StreamTestKit.Deliveries first = new StreamTestKit.Deliveries("first");
        // slow enough that the stop lands in the middle of the stream
        first.onDelivery = d -> sleep(100);
        CamelContext one = kit.startContext(uri, first);
        awaitReady(one);

        write(table, 0, 60);
        await().atMost(Duration.ofSeconds(30)).until(() -> first.list.size() >= 10);
        one.stop();
        assertThat(first.list).as("stopped in the middle of the stream").hasSizeLessThan(60);
        write(table, 60, 90);

        StreamTestKit.Deliveries second = new StreamTestKit.Deliveries("second");
        kit.startContext(uri, second);
        await().atMost(Duration.ofSeconds(40)).until(() -> second.pks().contains("item-89"));

        List<String> all = new ArrayList<>(first.pks());
        all.addAll(second.pks());
        assertThat(all).containsExactlyInAnyOrderElementsOf(items(0, 90));
        assertThat(first.pks()).doesNotContainAnyElementsOf(second.pks());
    }

    @Test
    void crashAndRestartLosesNothingAndRepeatsOnlyUncheckpointedRecords() throws Exception {
        String table = kit.createTable();
        String uri = kit.ddbStreamUri(table, "app-" + table, "eventNames=INSERT&batchSize=5");
        StreamTestKit.Deliveries first = new StreamTestKit.Deliveries("first");
        first.onDelivery = d -> sleep(100);
        CamelContext one = kit.startContext(uri, first);
        awaitReady(one);

        write(table, 0, 60);
        await().atMost(Duration.ofSeconds(30)).until(() -> first.list.size() >= 10);
        StreamTestKit.consumer(one).halt();
        assertThat(first.list).as("crashed in the middle of the stream").hasSizeLessThan(60);
        write(table, 60, 90);

        StreamTestKit.Deliveries second = new StreamTestKit.Deliveries("second");
        kit.startContext(uri, second);
        await().atMost(Duration.ofSeconds(40)).until(() -> second.pks().contains("item-89"));

        Set<String> union = new HashSet<>(first.pks());
        union.addAll(second.pks());
        assertThat(union).containsExactlyInAnyOrderElementsOf(items(0, 90));
        assertThat(second.pks()).doesNotHaveDuplicates();
        // a repeat is a record the crashed consumer delivered but had not checkpointed: the last batch at most
        List<String> repeated = new ArrayList<>(second.pks());
        repeated.retainAll(first.pks());
        assertThat(repeated).hasSizeLessThanOrEqualTo(5);
    }

    private static void awaitReady(CamelContext context) {
        await().atMost(Duration.ofSeconds(40))
                .until(() -> StreamTestKit.consumer(context).readiness().call().getState() == HealthCheck.State.UP);
    }

    private static void write(String table, int from, int to) {
        for (int i = from; i < to; i++) {
            kit.put(table, "item-" + i);
        }
    }

    private static List<String> items(int from, int to) {
        List<String> items = new ArrayList<>();
        for (int i = from; i < to; i++) {
            items.add("item-" + i);
        }
        return items;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
