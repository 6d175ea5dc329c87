package io.cqrsworkers.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.aws.AwsClients;
import io.cqrsworkers.aws.DynamoJson;
import io.cqrsworkers.config.AppConfiguration;
import io.cqrsworkers.testkit.EmbeddedAws;
import io.cqrsworkers.testkit.EmbeddedAwsClient;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.EndpointInject;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The service on the embedded AWS for command pipeline tests: one per test class, ready (stream leases taken)
 * before the first test, alarms observed at mock:alarms, and helpers for the API, tables and executions.
 */
@EmbeddedAws(routes = "classpath:test-routes/*.camel.yaml",
        properties = "app.modules.sample.sync-handlers=direct:test-sync-probe")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CommandTestSupport {

    protected static final ObjectMapper JSON = io.cqrsworkers.json.Jackson.MAPPER;
    protected static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The class's embedded AWS: its ports, data folder and clients. */
    EmbeddedAwsClient kit;

    @BeanInject
    CamelContext context;

    @BeanInject
    AwsClients aws;

    @EndpointInject("mock:alarms")
    MockEndpoint alarms;

    private boolean adviced;

    @BeforeEach
    void watchAlarms() throws Exception {
        if (!adviced) {
            // the stream consumer takes its leases some seconds after the start (KCL waits 1-30 s at random)
            await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> io.cqrsworkers.support.Http.get(
                    "http://127.0.0.1:" + kit.managementPort() + "/observe/health/ready").status() == 200);
            AdviceWith.adviceWith(context, "alarms", a -> a.weaveAddLast().to("mock:alarms"));
            adviced = true;
        }
        alarms.reset();
    }

    protected String prefix() {
        return context.resolvePropertyPlaceholders("{{app.prefix}}");
    }

    protected HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + kit.serverPort() + path))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    protected static String command(String pk, String sk, long version, String name, String attributes) {
        return "{\"pk\":\"" + pk + "\",\"sk\":\"" + sk + "\",\"code\":\"c\",\"name\":\"" + name
                + "\",\"tenantCode\":\"t1\",\"type\":\"ORDER\",\"version\":" + version
                + ",\"attributes\":" + attributes + "}";
    }

    protected Optional<JsonNode> item(String table, String pk, String sk) {
        Map<String, AttributeValue> item = aws.dynamoDb().getItem(b -> b.tableName(prefix() + table).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(DynamoJson.fromItem(item));
    }

    protected long dataVersion(String pk, String sk) {
        return item("sample-data", pk, sk).map(d -> d.path("version").asLong()).orElse(0L);
    }

    protected List<ExecutionListItem> executionsNamed(String fragment) {
        String arn = aws.sfn().listStateMachines().stateMachines().stream()
                .filter(m -> m.name().equals(prefix() + "command-handler")).findFirst().orElseThrow().stateMachineArn();
        return aws.sfn().listExecutionsPaginator(b -> b.stateMachineArn(arn)).executions().stream()
                .filter(e -> e.name().contains(fragment)).toList();
    }

    protected void ttlSetting(String table, int days) {
        aws.dynamoDb().putItem(b -> b.tableName(prefix() + "master-data").item(Map.of(
                "pk", AttributeValue.fromS("MASTER#t1"), "sk", AttributeValue.fromS("TTL#" + prefix() + table),
                "attributes", AttributeValue.fromM(Map.of("days", AttributeValue.fromN(String.valueOf(days)))))));
    }

    protected void subscribe(String tenant, List<String> lines) {
        HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + kit.serverPort()
                        + "/api/notifications?tenantCode=" + tenant)).GET().build(),
                HttpResponse.BodyHandlers.fromLineSubscriber(new java.util.concurrent.Flow.Subscriber<String>() {
                    @Override
                    public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
                        subscription.request(Long.MAX_VALUE);
                    }

                    @Override
                    public void onNext(String line) {
                        lines.add(line);
                    }

                    @Override
                    public void onError(Throwable throwable) {
                    }

                    @Override
                    public void onComplete() {
                    }
                }));
    }

}
