package io.cqrsworkers.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.aws.AwsClients;
import io.cqrsworkers.json.Jackson;
import io.cqrsworkers.support.Http;
import io.cqrsworkers.testkit.EmbeddedAws;
import io.cqrsworkers.testkit.EmbeddedAwsClient;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The service on the embedded AWS for the console's tests, ready before the first test, with API helpers. */
@EmbeddedAws(routes = "classpath:test-routes/*.camel.yaml")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ConsoleTestSupport {

    static final String ROLE = "arn:aws:iam::000000000000:role/console-test";

    /** The class's embedded AWS: its ports, data folder and clients. */
    EmbeddedAwsClient kit;

    @BeanInject
    CamelContext context;

    @BeanInject
    AwsClients aws;

    private boolean ready;

    @BeforeEach
    void ready() {
        if (ready) {
            return;
        }
        // the stream consumers take their leases some seconds after the start (the context starts before each test
        // of the class's first, not before @BeforeAll)
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> Http.get(
                "http://127.0.0.1:" + kit.managementPort() + "/observe/health/ready").status() == 200);
        ready = true;
    }

    String prefix() {
        return context.resolvePropertyPlaceholders("{{app.prefix}}");
    }

    String base() {
        return "http://127.0.0.1:" + kit.serverPort();
    }

    JsonNode get(String pathAndQuery) {
        Http.Response response = Http.get(base() + "/console/api" + pathAndQuery);
        assertThat(response.status()).as(pathAndQuery + ": " + response.body()).isEqualTo(200);
        return parse(response.body());
    }

    static JsonNode parse(String body) {
        try {
            return Jackson.MAPPER.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    String machineArn(String logicalName) {
        return aws.sfn().listStateMachines().stateMachines().stream()
                .filter(m -> m.name().equals(prefix() + logicalName)).findFirst().orElseThrow().stateMachineArn();
    }

    /** Publishes version 0 of an ORDER command of tenant t1 through the command API; its execution name. */
    String publish(String sk) {
        Http.Response response = Http.post(base() + "/api/commands/sample", "{\"pk\":\"ORDER#t1\",\"sk\":\"" + sk
                + "\",\"code\":\"c\",\"name\":\"console\",\"tenantCode\":\"t1\",\"type\":\"ORDER\",\"version\":0,"
                + "\"attributes\":{\"total\":10}}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return io.cqrsworkers.workflow.ExecutionNames.of("sample", "ORDER#t1", sk + "@1");
    }
}
