package io.cqrsworkers.localaws.dynamodb;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.Tag;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.cqrsworkers.localaws.dynamodb.TestSupport.item;
import static io.cqrsworkers.localaws.dynamodb.TestSupport.n;
import static io.cqrsworkers.localaws.dynamodb.TestSupport.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class TtlAndControlPlaneTest {

    static DynamoDbEmulator emulator;
    static DynamoDbClient ddb;
    static DynamoDbStreamsClient streams;

    @BeforeAll
    static void start() throws Exception {
        emulator = DynamoDbEmulator.builder().port(0).ttlInterval(Duration.ofMillis(100)).build();
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

    @Test
    void expiredItemsAreRemovedByTheService() {
        String arn = ddb.createTable(TestSupport.table("ttl", null).streamSpecification(StreamSpecification.builder()
                .streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES).build()).build())
                .tableDescription().latestStreamArn();
        assertThat(ddb.describeTimeToLive(r -> r.tableName("ttl")).timeToLiveDescription().timeToLiveStatus())
                .isEqualTo(TimeToLiveStatus.DISABLED);
        ddb.updateTimeToLive(r -> r.tableName("ttl").timeToLiveSpecification(t -> t.enabled(true).attributeName("exp")));
        assertThat(ddb.describeTimeToLive(r -> r.tableName("ttl")).timeToLiveDescription().attributeName())
                .isEqualTo("exp");
        assertThatThrownBy(() -> ddb.updateTimeToLive(r -> r.tableName("ttl")
                .timeToLiveSpecification(t -> t.enabled(true).attributeName("exp"))))
                .hasMessageContaining("TimeToLive is already enabled");
        long past = System.currentTimeMillis() / 1000 - 10;
        ddb.putItem(r -> r.tableName("ttl").item(item("pk", s("gone"), "exp", n(String.valueOf(past)))));
        ddb.putItem(r -> r.tableName("ttl").item(item("pk", s("stays"), "exp", n(String.valueOf(past + 3600)))));
        ddb.putItem(r -> r.tableName("ttl").item(item("pk", s("no-ttl"), "exp", s("not a number"))));
        await().atMost(Duration.ofSeconds(5)).until(() ->
                !ddb.getItem(r -> r.tableName("ttl").key(item("pk", s("gone")))).hasItem());
        assertThat(ddb.scan(r -> r.tableName("ttl")).count()).isEqualTo(2);

        String shard = streams.describeStream(r -> r.streamArn(arn)).streamDescription().shards().get(0).shardId();
        String it = streams.getShardIterator(r -> r.streamArn(arn).shardId(shard)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        GetRecordsResponse resp = streams.getRecords(r -> r.shardIterator(it));
        List<Record> removes = new ArrayList<>(resp.records().stream()
                .filter(r -> r.eventName() == OperationType.REMOVE).toList());
        assertThat(removes).hasSize(1);
        assertThat(removes.get(0).userIdentity().type()).isEqualTo("Service");
        assertThat(removes.get(0).userIdentity().principalId()).isEqualTo("dynamodb.amazonaws.com");
        assertThat(removes.get(0).dynamodb().oldImage().get("pk").s()).isEqualTo("gone");
    }

    @Test
    void controlPlaneCallsAnswerPlausibly() {
        String tableArn = ddb.createTable(TestSupport.table("cptab", null).build()).tableDescription().tableArn();
        ddb.tagResource(r -> r.resourceArn(tableArn).tags(Tag.builder().key("k").value("v").build()));
        assertThat(ddb.listTagsOfResource(r -> r.resourceArn(tableArn)).tags())
                .containsExactly(Tag.builder().key("k").value("v").build());
        ddb.untagResource(r -> r.resourceArn(tableArn).tagKeys("k"));
        assertThat(ddb.listTagsOfResource(r -> r.resourceArn(tableArn)).tags()).isEmpty();
        ddb.updateContinuousBackups(r -> r.tableName("cptab")
                .pointInTimeRecoverySpecification(p -> p.pointInTimeRecoveryEnabled(true)));
        assertThat(ddb.describeContinuousBackups(r -> r.tableName("cptab")).continuousBackupsDescription()
                .pointInTimeRecoveryDescription().pointInTimeRecoveryStatusAsString()).isEqualTo("ENABLED");
        assertThat(ddb.describeLimits().accountMaxReadCapacityUnits()).isPositive();
        ddb.updateTable(r -> r.tableName("cptab").deletionProtectionEnabled(true));
        assertThatThrownBy(() -> ddb.deleteTable(r -> r.tableName("cptab"))).hasMessageContaining("protected");
        ddb.updateTable(r -> r.tableName("cptab").deletionProtectionEnabled(false)
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE)));
        assertThat(ddb.describeTable(r -> r.tableName("cptab")).table().latestStreamArn()).isNotNull();
        ddb.deleteTable(r -> r.tableName("cptab"));
        // the stream of a deleted table stays readable, disabled, until its records expire
        var leftOver = streams.listStreams(r -> r.tableName("cptab")).streams();
        assertThat(leftOver).hasSize(1);
        assertThat(streams.describeStream(r -> r.streamArn(leftOver.get(0).streamArn())).streamDescription()
                .streamStatusAsString()).isEqualTo("DISABLED");
        assertThatThrownBy(() -> ddb.createTable(TestSupport.table("badview", null).streamSpecification(
                s -> s.streamEnabled(true).streamViewType("EVERYTHING")).build()))
                .hasMessageContaining("Member must satisfy enum value set: [NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, "
                        + "KEYS_ONLY]");
        assertThat(ddb.listTables().tableNames()).doesNotContain("badview");
    }
}
