package io.cqrsworkers.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Shards roll over every second while items are written: every record arrives once, each shard in order, and
 * no child shard is read before its parent is finished. Two replicas read every record once between them and one
 * takes over when the other stops.
 */
class DdbStreamRolloverTest {

    private static StreamTestKit kit;

    @BeforeAll
    static void start() throws Exception {
        kit = new StreamTestKit(Duration.ofSeconds(1));
    }

    @AfterAll
    static void stop() {
        kit.close();
    }

    @Test
    void rolloverWhileWritingLosesNothingAndReadsParentsBeforeChildren() throws Exception {
        String table = kit.createTable();
        StreamTestKit.Deliveries got = new StreamTestKit.Deliveries("c1");
        CamelContext context = kit.startContext(kit.ddbStreamUri(table, "app-" + table, "eventNames=INSERT"), got);
        awaitReady(context);

        writeOverTime(table, 0, 120, Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(45)).until(() -> Set.copyOf(got.pks()).size() == 120);

        assertThat(got.pks()).doesNotHaveDuplicates().hasSize(120);
        List<Shard> shards = shards(table);
        assertThat(shards.size()).as("shards after 5 s of 1 s rollovers").isGreaterThanOrEqualTo(3);
        assertParentsBeforeChildren(got.snapshot(), shards);
        context.stop();
    }

    @Test
    void twoReplicasReadEveryRecordOnceAndOneTakesOverWhenTheOtherStops() throws Exception {
        String table = kit.createTable();
        String uri = kit.ddbStreamUri(table, "app-" + table, "eventNames=INSERT");
        StreamTestKit.Deliveries a = new StreamTestKit.Deliveries("a");
        StreamTestKit.Deliveries b = new StreamTestKit.Deliveries("b");
        // both replicas start together on a fresh lease table, so they may race to create its index: the loser's
        // UpdateTable fails (KclLeaseTableTest), its scheduler ends, and DdbStreamConsumer starts a fresh one
        CamelContext one = kit.startContext(uri, a);
        CamelContext two = kit.startContext(uri, b);
        awaitReady(one);
        awaitReady(two);

        // KCL's leader decides which replica gets which shard (on a loaded machine it may keep them all on one):
        // what is ours to keep is that the pair reads every record once, parents before children, whoever reads
        int written = 150;
        writeOverTime(table, 0, written, Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(45)).until(() -> union(a, b).size() == written);
        List<StreamTestKit.Delivery> all = new ArrayList<>(a.snapshot());
        all.addAll(b.snapshot());
        assertThat(all).as("steady state: every record once").hasSize(written);
        all.sort((x, y) -> Long.compare(x.atMillis(), y.atMillis()));
        assertParentsBeforeChildren(all, shards(table));

        // stop the replica that read the latest record: it holds the open shard, the other must take its leases over
        boolean oneReadLast = a.pks().contains("item-" + (written - 1));
        (oneReadLast ? one : two).stop();
        StreamTestKit.Deliveries survivor = oneReadLast ? b : a;
        int total = written + 50;
        writeOverTime(table, written, total, Duration.ofSeconds(3));
        await().atMost(Duration.ofSeconds(60)).until(() -> union(a, b).size() == total);
        assertThat(survivor.pks()).as("the remaining replica reads everything written after the stop")
                .containsAll(items(written, total));
        (oneReadLast ? two : one).stop();
    }

    private static Set<String> union(StreamTestKit.Deliveries a, StreamTestKit.Deliveries b) {
        Set<String> union = new java.util.HashSet<>(a.pks());
        union.addAll(b.pks());
        return union;
    }

    /** Deliveries are in delivery order; a shard's records must all come after its parent's, in sequence order. */
    private static void assertParentsBeforeChildren(List<StreamTestKit.Delivery> deliveries, List<Shard> shards) {
        Map<String, String> parentOf = shards.stream().filter(s -> s.parentShardId() != null)
                .collect(Collectors.toMap(Shard::shardId, Shard::parentShardId));
        Map<String, Integer> first = new HashMap<>();
        Map<String, Integer> last = new HashMap<>();
        Map<String, BigInteger> lastSeq = new HashMap<>();
        for (int i = 0; i < deliveries.size(); i++) {
            StreamTestKit.Delivery d = deliveries.get(i);
            first.putIfAbsent(d.shardId(), i);
            last.put(d.shardId(), i);
            BigInteger seq = new BigInteger(d.sequenceNumber());
            BigInteger previous = lastSeq.put(d.shardId(), seq);
            assertThat(previous == null || previous.compareTo(seq) < 0).as("order within shard %s", d.shardId()).isTrue();
        }
        for (String child : first.keySet()) {
            String parent = parentOf.get(child);
            if (parent != null && last.containsKey(parent)) {
                assertThat(last.get(parent)).as("parent %s before child %s", parent, child).isLessThan(first.get(child));
            }
        }
    }

    private static List<Shard> shards(String table) {
        String arn = kit.ddb.describeTable(b -> b.tableName(table)).table().latestStreamArn();
        try (DynamoDbStreamsClient streams = kit.streamsClient()) {
            List<Shard> shards = new ArrayList<>();
            String start = null;
            do {
                String from = start;
                var description = streams.describeStream(b -> b.streamArn(arn).exclusiveStartShardId(from)).streamDescription();
                shards.addAll(description.shards());
                start = description.lastEvaluatedShardId();
            } while (start != null);
            return shards;
        }
    }

    private static void writeOverTime(String table, int from, int to, Duration duration) throws InterruptedException {
        long pause = duration.toMillis() / (to - from);
        for (int i = from; i < to; i++) {
            kit.put(table, "item-" + i);
            Thread.sleep(pause);
        }
    }

    private static List<String> items(int from, int to) {
        List<String> items = new ArrayList<>();
        for (int i = from; i < to; i++) {
            items.add("item-" + i);
        }
        return items;
    }

    private static void awaitReady(CamelContext context) {
        await().atMost(Duration.ofSeconds(40))
                .until(() -> StreamTestKit.consumer(context).readiness().call().getState() == HealthCheck.State.UP);
    }
}
