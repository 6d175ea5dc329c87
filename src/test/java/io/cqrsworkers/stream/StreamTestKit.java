package io.cqrsworkers.stream;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import io.cqrsworkers.localaws.dynamodb.DynamoDbEmulator;
import io.cqrsworkers.localaws.sqs.SqsEmulator;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Embedded DynamoDB (+ the SQS emulator when needed), SDK clients, Camel contexts with a collecting route, and KCL
 * timings short enough for tests.
 */
final class StreamTestKit implements AutoCloseable {

    static final String REGION = "us-east-1";
    static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    /** Short KCL timings: leases fail over in ~3 s, new workers report after 1 s. */
    static final String FAST = "idleTimeBetweenReadsMs=100&parentShardPollIntervalMs=200&dispatchPollIntervalMs=200"
            + "&failoverTimeMs=3000&leaseAssignmentIntervalMs=1000&leaderLeaseDurationMs=3000&workerMetricsIntervalMs=1000&shutdownTimeoutMs=15000";

    final DynamoDbEmulator dynamo;
    final URI endpoint;
    final DynamoDbClient ddb;
    private final List<CamelContext> contexts = new ArrayList<>();
    private SqsEmulator sqsServer;
    private SqsClient sqs;
    private URI sqsEndpoint;

    StreamTestKit(Duration shardRollover) throws Exception {
        DynamoDbEmulator.Builder builder = DynamoDbEmulator.builder().host("127.0.0.1").port(0);
        if (shardRollover != null) {
            builder.shardRollover(shardRollover);
        }
        dynamo = builder.build();
        dynamo.start();
        endpoint = dynamo.endpoint();
        ddb = DynamoDbClient.builder().endpointOverride(endpoint).region(Region.of(REGION)).credentialsProvider(CREDENTIALS)
                .httpClientBuilder(ApacheHttpClient.builder()).build();
    }

    String createTable() {
        String table = "t" + UUID.randomUUID().toString().substring(0, 8);
        ddb.createTable(b -> b.tableName(table)
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
        return table;
    }

    void put(String table, String pk) {
        ddb.putItem(b -> b.tableName(table).item(Map.of(
                "pk", AttributeValue.fromS(pk),
                "writtenAt", AttributeValue.fromN(Long.toString(System.currentTimeMillis())))));
    }

    void modify(String table, String pk) {
        ddb.updateItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS(pk)))
                .updateExpression("SET touched = :t").expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true))));
    }

    void delete(String table, String pk) {
        ddb.deleteItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS(pk))));
    }

    /** Component-level connection settings, as the application's local profile sets them. */
    String ddbStreamUri(String table, String app, String options) {
        return "ddb-stream:" + table + "?applicationName=" + app + "&" + FAST + (options.isEmpty() ? "" : "&" + options);
    }

    /** A started context whose route {@code from(uri)} hands every record to {@code sink}. */
    CamelContext startContext(String uri, Deliveries sink) throws Exception {
        CamelContext context = newContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("stream").process(sink::accept);
            }
        });
        context.start();
        return context;
    }

    /** A context (closed with the kit) whose ddb-stream component points at the embedded DynamoDB. */
    CamelContext newContext() {
        CamelContext context = new DefaultCamelContext();
        DdbStreamComponent component = context.getComponent("ddb-stream", DdbStreamComponent.class);
        component.setRegion(REGION);
        component.setOverrideEndpoint(true);
        component.setUriEndpointOverride(endpoint.toString());
        component.setAccessKey("test");
        component.setSecretKey("test");
        contexts.add(context);
        return context;
    }

    static DdbStreamConsumer consumer(CamelContext context) {
        return (DdbStreamConsumer) context.getRoute("stream").getConsumer();
    }

    /** The SQS emulator on a free port; returns a queue URL. */
    String createQueue(String name) throws Exception {
        if (sqsServer == null) {
            sqsServer = SqsEmulator.builder().region(REGION).build();
            sqsServer.start();
            sqsEndpoint = sqsServer.endpoint();
            sqs = SqsClient.builder().endpointOverride(sqsEndpoint).region(Region.of(REGION)).credentialsProvider(CREDENTIALS)
                    .httpClientBuilder(ApacheHttpClient.builder()).build();
        }
        return sqs.createQueue(b -> b.queueName(name)).queueUrl();
    }

    SqsClient sqs() {
        return sqs;
    }

    DynamoDbStreamsClient streamsClient() {
        return DynamoDbStreamsClient.builder().endpointOverride(endpoint).region(Region.of(REGION)).credentialsProvider(CREDENTIALS)
                .httpClientBuilder(ApacheHttpClient.builder()).build();
    }

    @Override
    public void close() {
        for (CamelContext context : contexts) {
            try {
                context.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + context.getName(), e);
            }
        }
        ddb.close();
        if (sqs != null) {
            sqs.close();
            sqsServer.close();
        }
        dynamo.close();
    }

    /** What one context received, in order. */
    static final class Deliveries {
        final String name;
        final List<Delivery> list = Collections.synchronizedList(new ArrayList<>());
        volatile java.util.function.Consumer<Delivery> onDelivery = d -> { };

        Deliveries(String name) {
            this.name = name;
        }

        void accept(Exchange exchange) {
            Record record = exchange.getIn().getBody(Record.class);
            Delivery d = new Delivery(name, record.dynamodb().keys().get("pk").s(), record.eventNameAsString(),
                    exchange.getIn().getHeader(DdbStreamHeaders.SHARD_ID, String.class),
                    record.dynamodb().sequenceNumber(), System.currentTimeMillis());
            onDelivery.accept(d);
            list.add(d);
        }

        List<String> pks() {
            synchronized (list) {
                return list.stream().map(Delivery::pk).collect(Collectors.toList());
            }
        }

        List<Delivery> snapshot() {
            synchronized (list) {
                return new ArrayList<>(list);
            }
        }
    }

    record Delivery(String consumer, String pk, String eventName, String shardId, String sequenceNumber, long atMillis) {
    }
}
