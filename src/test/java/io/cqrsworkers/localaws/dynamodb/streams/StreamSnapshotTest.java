package io.cqrsworkers.localaws.dynamodb.streams;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.cqrsworkers.localaws.dynamodb.model.Av;
import io.cqrsworkers.localaws.dynamodb.model.Item;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A snapshot reads a stream's records without holding up the table's writers meanwhile. */
class StreamSnapshotTest {

    @Test
    void aWriteAppendsItsRecordWhileASnapshotIsStillWritingTheStream() throws Exception {
        Stream stream = new Stream("arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/1", "1", "t",
                "NEW_AND_OLD_IMAGES", JsonNodeFactory.instance.arrayNode(), 0, Duration.ofHours(4),
                Duration.ofHours(24), Stream.StreamListener.NONE);
        Item key = Item.of(Map.of("pk", Av.s("a")));
        stream.append("INSERT", key, null, key, false, 1);

        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Long> snapshotted = new ArrayList<>();
        CompletableFuture<Void> snapshot = CompletableFuture.runAsync(() -> stream.forEachShard((shard, records) -> {
            records.forEach(r -> snapshotted.add(r.sequence()));
            writing.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();

        // the snapshot is parked inside its visitor: the append must not wait for it
        StreamRecord next = CompletableFuture.supplyAsync(() -> stream.append("MODIFY", key, key, key, false, 2))
                .get(10, TimeUnit.SECONDS);
        release.countDown();
        snapshot.get(10, TimeUnit.SECONDS);

        // the snapshot has what was there when it started; the journal line of the later write carries the rest
        assertThat(snapshotted).hasSize(1).doesNotContain(next.sequence());
    }
}
