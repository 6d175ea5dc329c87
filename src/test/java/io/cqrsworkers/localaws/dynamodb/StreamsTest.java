package io.cqrsworkers.localaws.dynamodb;

import io.cqrsworkers.localaws.emulator.ManualClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.cqrsworkers.localaws.dynamodb.TestSupport.item;
import static io.cqrsworkers.localaws.dynamodb.TestSupport.n;
import static io.cqrsworkers.localaws.dynamodb.TestSupport.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamsTest {

    static final ManualClock CLOCK = new ManualClock(java.time.Instant.now());
    static DynamoDbEmulator emulator;
    static DynamoDbClient ddb;
    static DynamoDbStreamsClient streams;

    @BeforeAll
    static void start() throws Exception {
        emulator = DynamoDbEmulator.builder().port(0).clock(CLOCK).shardRollover(Duration.ofHours(1)).build();
        emulator.start();
        ddb = TestSupport.client(emulator.endpoint());
        streams = TestSupport.streams(emulator.endpoint());
    }

    @AfterAll
    static void stop() {
        ddb.close();
        streams.close();
        emulator.close();
    }

    private static String createTable(String name, StreamViewType view) {
        return ddb.createTable(TestSupport.table(name, null).streamSpecification(StreamSpecification.builder()
                .streamEnabled(true).streamViewType(view).build()).build()).tableDescription().latestStreamArn();
    }

    private static StreamDescription describe(String arn) {
        return streams.describeStream(r -> r.streamArn(arn)).streamDescription();
    }

    private static List<Record> readShard(String arn, String shardId) {
        List<Record> out = new ArrayList<>();
        String it = streams.getShardIterator(r -> r.streamArn(arn).shardId(shardId)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        for (int i = 0; i < 100 && it != null; i++) {
            String current = it;
            GetRecordsResponse resp = streams.getRecords(r -> r.shardIterator(current));
            out.addAll(resp.records());
            if (resp.records().isEmpty() && resp.nextShardIterator() != null) {
                break;
            }
            it = resp.nextShardIterator();
        }
        return out;
    }

    @Test
    void recordsFollowWritesAsInAws() {
        String arn = createTable("str1", StreamViewType.NEW_AND_OLD_IMAGES);
        assertThat(arn).matches("arn:aws:dynamodb:us-east-1:000000000000:table/str1/stream/\\d{4}-\\d\\d-\\d\\dT.*");
        ddb.putItem(r -> r.tableName("str1").item(item("pk", s("a"), "v", n("1"))));
        ddb.putItem(r -> r.tableName("str1").item(item("pk", s("a"), "v", n("1")))); // no change: no record
        ddb.updateItem(r -> r.tableName("str1").key(item("pk", s("a"))).updateExpression("SET v = :v")
                .expressionAttributeValues(Map.of(":v", n("2"))));
        assertThatThrownBy(() -> ddb.deleteItem(r -> r.tableName("str1").key(item("pk", s("a")))
                .conditionExpression("v = :x").expressionAttributeValues(Map.of(":x", n("9")))))
                .isInstanceOf(ConditionalCheckFailedException.class);
        ddb.deleteItem(r -> r.tableName("str1").key(item("pk", s("a"))));
        ddb.transactWriteItems(r -> r.transactItems(
                TransactWriteItem.builder().put(p -> p.tableName("str1").item(item("pk", s("t1")))).build(),
                TransactWriteItem.builder().put(p -> p.tableName("str1").item(item("pk", s("t2")))).build()));

        StreamDescription d = describe(arn);
        assertThat(d.streamStatusAsString()).isEqualTo("ENABLED");
        assertThat(d.shards()).hasSize(1);
        assertThat(d.shards().get(0).shardId()).matches("shardId-\\d{13}-[0-9a-f]{8}");
        List<Record> records = readShard(arn, d.shards().get(0).shardId());
        assertThat(records).extracting(Record::eventName).containsExactly(OperationType.INSERT,
                OperationType.MODIFY, OperationType.REMOVE, OperationType.INSERT, OperationType.INSERT);
        Record modify = records.get(1);
        assertThat(modify.dynamodb().oldImage().get("v").n()).isEqualTo("1");
        assertThat(modify.dynamodb().newImage().get("v").n()).isEqualTo("2");
        assertThat(modify.dynamodb().keys()).containsOnlyKeys("pk");
        assertThat(modify.eventSource()).isEqualTo("aws:dynamodb");
        assertThat(modify.awsRegion()).isEqualTo("us-east-1");
        assertThat(records.get(2).dynamodb().newImage()).isEmpty();
        BigInteger previous = BigInteger.ZERO;
        for (Record r : records) {
            assertThat(r.dynamodb().sequenceNumber()).hasSizeGreaterThanOrEqualTo(21);
            BigInteger seq = new BigInteger(r.dynamodb().sequenceNumber());
            assertThat(seq).isGreaterThan(previous);
            previous = seq;
        }
        String shard = d.shards().get(0).shardId();
        String after = streams.getShardIterator(r -> r.streamArn(arn).shardId(shard)
                .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                .sequenceNumber(records.get(2).dynamodb().sequenceNumber())).shardIterator();
        assertThat(streams.getRecords(r -> r.shardIterator(after).limit(1)).records())
                .extracting(r -> r.dynamodb().keys().get("pk").s()).containsExactly("t1");
        String latest = streams.getShardIterator(r -> r.streamArn(arn).shardId(shard)
                .shardIteratorType(ShardIteratorType.LATEST)).shardIterator();
        ddb.putItem(r -> r.tableName("str1").item(item("pk", s("late"))));
        assertThat(streams.getRecords(r -> r.shardIterator(latest)).records())
                .extracting(r -> r.dynamodb().keys().get("pk").s()).containsExactly("late");
        assertThat(streams.listStreams(r -> r.tableName("str1")).streams()).hasSize(1);
    }

    @Test
    void getRecordsStopsAtOneMegabyte() {
        String arn = createTable("str4", StreamViewType.NEW_IMAGE);
        String blob = "z".repeat(200_000);
        for (int i = 0; i < 8; i++) {
            int k = i;
            ddb.putItem(r -> r.tableName("str4").item(item("pk", s("k" + k), "b", s(blob))));
        }
        String shard = describe(arn).shards().get(0).shardId();
        String it = streams.getShardIterator(r -> r.streamArn(arn).shardId(shard)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        GetRecordsResponse first = streams.getRecords(r -> r.shardIterator(it));
        assertThat(first.records()).hasSize(5);
        assertThat(streams.getRecords(r -> r.shardIterator(first.nextShardIterator())).records()).hasSize(3);
        assertThat(streams.getRecords(r -> r.shardIterator(it).limit(2)).records()).hasSize(2);
    }

    @Test
    void keysOnlyViewHasNoImages() {
        String arn = createTable("str2", StreamViewType.KEYS_ONLY);
        ddb.putItem(r -> r.tableName("str2").item(item("pk", s("a"), "v", n("1"))));
        Record r = readShard(arn, describe(arn).shards().get(0).shardId()).get(0);
        assertThat(r.dynamodb().hasNewImage()).isFalse();
        assertThat(r.dynamodb().keys()).containsOnlyKeys("pk");
        assertThat(r.dynamodb().streamViewType()).isEqualTo(StreamViewType.KEYS_ONLY);
    }

    @Test
    void shardsRollOverAndIteratorsExpireAndRecordsAreTrimmed() {
        String arn = createTable("str3", StreamViewType.NEW_IMAGE);
        ddb.putItem(r -> r.tableName("str3").item(item("pk", s("first"))));
        String oldIterator = streams.getShardIterator(r -> r.streamArn(arn)
                .shardId(describe(arn).shards().get(0).shardId())
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        CLOCK.advance(Duration.ofMinutes(61));
        assertThatThrownBy(() -> streams.getRecords(r -> r.shardIterator(oldIterator)))
                .isInstanceOf(ExpiredIteratorException.class);
        ddb.putItem(r -> r.tableName("str3").item(item("pk", s("second"))));
        List<Shard> shards = describe(arn).shards();
        assertThat(shards).hasSize(2);
        assertThat(shards.get(0).sequenceNumberRange().endingSequenceNumber()).isNotNull();
        assertThat(shards.get(1).parentShardId()).isEqualTo(shards.get(0).shardId());
        assertThat(shards.get(1).sequenceNumberRange().endingSequenceNumber()).isNull();
        StreamDescription firstPage = streams.describeStream(r -> r.streamArn(arn).limit(1)).streamDescription();
        assertThat(firstPage.shards()).hasSize(1);
        assertThat(firstPage.lastEvaluatedShardId()).isEqualTo(shards.get(0).shardId());
        assertThat(streams.describeStream(r -> r.streamArn(arn).exclusiveStartShardId(shards.get(0).shardId()))
                .streamDescription().shards()).extracting(Shard::shardId).containsExactly(shards.get(1).shardId());
        assertThat(streams.describeStream(r -> r.streamArn(arn).shardFilter(f -> f.type("CHILD_SHARDS")
                .shardId(shards.get(0).shardId()))).streamDescription().shards())
                .extracting(Shard::shardId).containsExactly(shards.get(1).shardId());

        String it = streams.getShardIterator(r -> r.streamArn(arn).shardId(shards.get(0).shardId())
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        GetRecordsResponse parent = streams.getRecords(r -> r.shardIterator(it));
        assertThat(parent.records()).hasSize(1);
        if (parent.nextShardIterator() != null) {
            GetRecordsResponse drained = streams.getRecords(r -> r.shardIterator(parent.nextShardIterator()));
            assertThat(drained.records()).isEmpty();
            assertThat(drained.nextShardIterator()).isNull();
        }
        assertThat(readShard(arn, shards.get(1).shardId())).extracting(r -> r.dynamodb().keys().get("pk").s())
                .containsExactly("second");

        CLOCK.advance(Duration.ofHours(25));
        ddb.putItem(r -> r.tableName("str3").item(item("pk", s("third"))));
        assertThat(describe(arn).shards()).extracting(Shard::shardId).doesNotContain(shards.get(0).shardId());
    }

    @Test
    void readingBehindTheRetentionIsTrimmedDataAccess() throws Exception {
        ManualClock clock = new ManualClock(java.time.Instant.now());
        try (DynamoDbEmulator e = DynamoDbEmulator.builder().port(0).clock(clock)
                .streamRetention(Duration.ofHours(1)).build()) {
            e.start();
            DynamoDbClient c = TestSupport.client(e.endpoint());
            DynamoDbStreamsClient sc = TestSupport.streams(e.endpoint());
            String arn = c.createTable(TestSupport.table("tbl", null).streamSpecification(StreamSpecification.builder()
                    .streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE).build()).build())
                    .tableDescription().latestStreamArn();
            c.putItem(r -> r.tableName("tbl").item(item("pk", s("old"))));
            String shard = sc.describeStream(r -> r.streamArn(arn)).streamDescription().shards().get(0).shardId();
            String oldSeq = sc.getRecords(r -> r.shardIterator(sc.getShardIterator(i -> i.streamArn(arn)
                    .shardId(shard).shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator()))
                    .records().get(0).dynamodb().sequenceNumber();
            clock.advance(Duration.ofMinutes(90));
            c.putItem(r -> r.tableName("tbl").item(item("pk", s("new"))));
            assertThatThrownBy(() -> sc.getShardIterator(i -> i.streamArn(arn).shardId(shard)
                    .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).sequenceNumber(oldSeq)))
                    .isInstanceOf(TrimmedDataAccessException.class);
            String horizon = sc.getShardIterator(i -> i.streamArn(arn).shardId(shard)
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            assertThat(sc.getRecords(r -> r.shardIterator(horizon)).records())
                    .extracting(r -> r.dynamodb().keys().get("pk").s()).containsExactly("new");
            c.close();
            sc.close();
        }
    }
}
