package io.cqrsworkers.localaws.dynamodb;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsAsyncClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static io.cqrsworkers.localaws.dynamodb.TestSupport.item;
import static io.cqrsworkers.localaws.dynamodb.TestSupport.n;
import static io.cqrsworkers.localaws.dynamodb.TestSupport.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SDK's async clients and Camel's aws2-ddb and aws2-ddbstream components against the emulator. */
class ClientCompatibilityTest {

    static DynamoDbEmulator emulator;
    static DynamoDbClient ddb;
    static DynamoDbStreamsClient streams;

    @BeforeAll
    static void start() throws Exception {
        emulator = DynamoDbEmulator.builder().port(0).build();
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
    void asyncClients() throws Exception {
        try (DynamoDbAsyncClient async = DynamoDbAsyncClient.builder().endpointOverride(emulator.endpoint())
                .region(Region.US_EAST_1).credentialsProvider(TestSupport.CREDENTIALS).build();
             DynamoDbStreamsAsyncClient asyncStreams = DynamoDbStreamsAsyncClient.builder()
                     .endpointOverride(emulator.endpoint()).region(Region.US_EAST_1)
                     .credentialsProvider(TestSupport.CREDENTIALS).build()) {
            String arn = async.createTable(TestSupport.table("async", ScalarAttributeType.N)
                    .streamSpecification(StreamSpecification.builder().streamEnabled(true)
                            .streamViewType(StreamViewType.NEW_IMAGE).build()).build())
                    .get(10, TimeUnit.SECONDS).tableDescription().latestStreamArn();
            async.putItem(r -> r.tableName("async").item(item("pk", s("a"), "sk", n("1"), "v", s("x"))))
                    .get(10, TimeUnit.SECONDS);
            assertThat(async.getItem(r -> r.tableName("async").key(item("pk", s("a"), "sk", n("1"))))
                    .get(10, TimeUnit.SECONDS).item().get("v").s()).isEqualTo("x");
            assertThatThrownBy(() -> async.putItem(r -> r.tableName("async")
                    .item(item("pk", s("a"), "sk", n("1"))).conditionExpression("attribute_not_exists(pk)")).join())
                    .isInstanceOf(CompletionException.class).hasCauseInstanceOf(ConditionalCheckFailedException.class);
            String shard = asyncStreams.describeStream(r -> r.streamArn(arn)).get(10, TimeUnit.SECONDS)
                    .streamDescription().shards().get(0).shardId();
            String it = asyncStreams.getShardIterator(r -> r.streamArn(arn).shardId(shard)
                    .shardIteratorType("TRIM_HORIZON")).get(10, TimeUnit.SECONDS).shardIterator();
            assertThat(asyncStreams.getRecords(r -> r.shardIterator(it)).get(10, TimeUnit.SECONDS).records())
                    .hasSize(1);
        }
    }

    @Test
    void camelAws2DdbAndDdbStream() throws Exception {
        ddb.createTable(TestSupport.table("camel", null).streamSpecification(StreamSpecification.builder()
                .streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES).build()).build());
        CamelContext camel = new DefaultCamelContext();
        camel.getRegistry().bind("ddb", ddb);
        camel.getRegistry().bind("streams", streams);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:put").to("aws2-ddb://camel?amazonDDBClient=#ddb&operation=PutItem");
                from("direct:get").to("aws2-ddb://camel?amazonDDBClient=#ddb&operation=GetItem");
                from("aws2-ddbstream://camel?amazonDynamoDbStreamsClient=#streams&streamIteratorType=FROM_START"
                        + "&delay=100").to("mock:records");
            }
        });
        camel.start();
        try {
            MockEndpoint records = camel.getEndpoint("mock:records", MockEndpoint.class);
            records.expectedMessageCount(3);
            ProducerTemplate producer = camel.createProducerTemplate();
            for (int i = 0; i < 3; i++) {
                producer.sendBodyAndHeader("direct:put", null, "CamelAwsDdbItem",
                        item("pk", s("k" + i), "v", n(String.valueOf(i))));
            }
            Object attributes = producer.request("direct:get", e -> e.getIn()
                    .setHeader("CamelAwsDdbKey", item("pk", s("k1")))).getMessage().getHeader("CamelAwsDdbAttributes");
            assertThat(attributes).isInstanceOf(Map.class);
            @SuppressWarnings("unchecked")
            Map<String, AttributeValue> got = (Map<String, AttributeValue>) attributes;
            assertThat(got.get("v").n()).isEqualTo("1");
            records.assertIsSatisfied(10_000);
            assertThat(records.getExchanges()).allSatisfy(e -> assertThat(e.getMessage().getBody(Record.class)
                    .eventName()).isEqualTo(OperationType.INSERT));
        } finally {
            camel.stop();
        }
    }
}
