package io.cqrsworkers.aws;

import io.cqrsworkers.embedded.InProcessEndpoints;
import io.cqrsworkers.localaws.dynamodb.DynamoDbEmulator;
import io.cqrsworkers.localaws.sqs.SqsEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

import java.net.ConnectException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The SDK's clients over the in-process transport against the emulators: the same results and errors as over HTTP,
 * long polls included. Each client is given the emulator's handler only, so nothing here can go over a socket.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InProcessHttpClientTest {

    /** Never contacted: the SDK needs an endpoint to build its request, the transport ignores it. */
    private static final URI NOWHERE = URI.create("http://in-process.invalid:1");

    private DynamoDbEmulator dynamoDb;
    private SqsEmulator sqs;
    private final AtomicInteger dynamoDbCalls = new AtomicInteger();

    @BeforeAll
    void start() throws Exception {
        dynamoDb = DynamoDbEmulator.builder().port(0).build();
        dynamoDb.start();
        sqs = SqsEmulator.builder().port(0).build();
        sqs.start();
    }

    @AfterAll
    void stop() {
        dynamoDb.close();
        sqs.close();
    }

    private InProcessHttpClient dynamoDbTransport() {
        return new InProcessHttpClient((method, header, body) -> {
            dynamoDbCalls.incrementAndGet();
            return dynamoDb.call(method, header, body);
        });
    }

    private DynamoDbClient syncDynamoDb() {
        return DynamoDbClient.builder().endpointOverride(NOWHERE).region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create()).httpClient(dynamoDbTransport()).build();
    }

    private void createTable(DynamoDbClient client, String name) {
        client.createTable(t -> t.tableName(name)
                .keySchema(k -> k.attributeName("pk").keyType("HASH"))
                .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"))
                .billingMode("PAY_PER_REQUEST"));
    }

    @Test
    void syncCallsAnswerAsOverHttpErrorsIncluded() {
        int before = dynamoDbCalls.get();
        try (DynamoDbClient client = syncDynamoDb()) {
            createTable(client, "sync");
            client.putItem(p -> p.tableName("sync").item(Map.of("pk", AttributeValue.fromS("a"),
                    "text", AttributeValue.fromS("caf\u00e9 \u2028 \ud83d\ude00"))));
            GetItemResponse got = client.getItem(g -> g.tableName("sync").key(Map.of("pk", AttributeValue.fromS("a"))));
            assertThat(got.item().get("text").s()).isEqualTo("caf\u00e9 \u2028 \ud83d\ude00");

            assertThatThrownBy(() -> client.putItem(p -> p.tableName("sync")
                    .item(Map.of("pk", AttributeValue.fromS("a"))).conditionExpression("attribute_not_exists(pk)")))
                    .isInstanceOf(ConditionalCheckFailedException.class)
                    .hasMessageContaining("The conditional request failed")
                    .satisfies(e -> assertThat(((ConditionalCheckFailedException) e).requestId()).hasSize(52));
            assertThatThrownBy(() -> client.getItem(g -> g.tableName("missing").key(Map.of("pk", AttributeValue.fromS("a")))))
                    .isInstanceOf(ResourceNotFoundException.class)
                    .hasMessageContaining("Requested resource not found");
        }
        // create, put, get, the failed put, the failed get: no retries, each answered once
        assertThat(dynamoDbCalls.get() - before).isEqualTo(5);
    }

    @Test
    void asyncCallsAnswerAsOverHttpErrorsIncluded() {
        try (DynamoDbClient sync = syncDynamoDb();
             DynamoDbAsyncClient client = DynamoDbAsyncClient.builder().endpointOverride(NOWHERE)
                     .region(Region.US_EAST_1).credentialsProvider(AnonymousCredentialsProvider.create())
                     .httpClient(dynamoDbTransport()).build()) {
            createTable(sync, "async");
            client.putItem(p -> p.tableName("async").item(Map.of("pk", AttributeValue.fromS("b"),
                    "n", AttributeValue.fromN("42")))).join();
            assertThat(client.getItem(g -> g.tableName("async").key(Map.of("pk", AttributeValue.fromS("b"))))
                    .join().item().get("n").n()).isEqualTo("42");
            assertThatThrownBy(() -> client.describeTable(d -> d.tableName("missing")).join())
                    .isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(ResourceNotFoundException.class);
        }
    }

    @Test
    void aLongPollWaitsOnTheCallersThreadAndIsAnsweredByTheSend() throws Exception {
        try (SqsClient client = SqsClient.builder().endpointOverride(NOWHERE).region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .httpClient(new InProcessHttpClient(sqs::call)).build()) {
            String queue = client.createQueue(c -> c.queueName("polled")).queueUrl();
            CompletableFuture<ReceiveMessageResponse> polling = CompletableFuture.supplyAsync(() ->
                    client.receiveMessage(r -> r.queueUrl(queue).waitTimeSeconds(20)));
            // the poll is parked in the emulator until the message arrives, not answered empty
            client.sendMessage(s -> s.queueUrl(queue).messageBody("wake up"));
            ReceiveMessageResponse received = polling.get(10, TimeUnit.SECONDS);
            assertThat(received.messages()).extracting(m -> m.body()).containsExactly("wake up");
        }
    }

    @Test
    void aStoppedEmulatorFailsTheCallAsAClosedPortWould() throws Exception {
        DynamoDbEmulator stopped = DynamoDbEmulator.builder().port(0).build();
        stopped.start();
        stopped.close();
        try (DynamoDbClient client = DynamoDbClient.builder().endpointOverride(NOWHERE).region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1)))
                .httpClient(new InProcessHttpClient(stopped::call)).build()) {
            assertThatThrownBy(client::listTables)
                    .isInstanceOf(SdkClientException.class)
                    .hasMessageContaining("dynamodb emulator is not running");
        }
    }

    @Test
    void aLongPollStillWaitingWhenTheEmulatorStopsFailsAtOnce() throws Exception {
        SqsEmulator stopping = SqsEmulator.builder().port(0).build();
        stopping.start();
        CountDownLatch parked = new CountDownLatch(1);
        try (SqsClient client = SqsClient.builder().endpointOverride(NOWHERE).region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1)))
                .httpClient(new InProcessHttpClient((method, header, body) -> {
                    CompletableFuture<InProcessEndpoints.Answer> answer = stopping.call(method, header, body);
                    if (!answer.isDone()) {
                        parked.countDown();
                    }
                    return answer;
                })).build()) {
            String queue = client.createQueue(c -> c.queueName("stopping")).queueUrl();
            CompletableFuture<ReceiveMessageResponse> polling = CompletableFuture.supplyAsync(() ->
                    client.receiveMessage(r -> r.queueUrl(queue).waitTimeSeconds(20)));
            assertThat(parked.await(10, TimeUnit.SECONDS)).isTrue();
            stopping.close();
            // without the failure the caller would wait forever: the emulator's timers stopped with it
            assertThatThrownBy(() -> polling.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasRootCauseInstanceOf(ConnectException.class)
                    .hasStackTraceContaining("sqs emulator stopped");
        }
    }

    @Test
    void anEndpointIsServedInProcessOnlyWhileRegistered() {
        URI endpoint = dynamoDb.endpoint();
        assertThat(InProcessHttpClient.forEndpoint(endpoint)).isNull();
        InProcessEndpoints.register(endpoint, dynamoDb::call);
        try {
            assertThat(InProcessHttpClient.forEndpoint(URI.create(endpoint + "/"))).isNotNull();
            assertThat(InProcessHttpClient.forEndpoint(URI.create("http://127.0.0.1:1"))).isNull();
            assertThat(InProcessHttpClient.forEndpoint(null)).isNull();
        } finally {
            InProcessEndpoints.unregister(endpoint);
        }
        assertThat(InProcessHttpClient.forEndpoint(endpoint)).isNull();
    }
}
