package io.cqrsworkers.foundation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.support.FreePort;
import io.cqrsworkers.localaws.sqs.SqsEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged start path (Application.main) in a separate JVM with the aws profile, pointed at an SQS endpoint
 * this test owns, so the queue outlives the service: SIGTERM lets an in-flight message finish, and a message that
 * cannot finish within the shutdown timeout goes back to its queue. The aws profile logs one JSON object per line.
 */
class GracefulShutdownTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "local-cqrs-";

    private static SqsEmulator sqsServer;
    private static SqsClient sqs;
    private Process service;
    private Thread reader;
    private final List<String> output = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startSqs() throws Exception {
        sqsServer = SqsEmulator.builder().build();
        sqsServer.start();
        sqs = SqsClient.builder().endpointOverride(sqsServer.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"))).build();
    }

    @AfterAll
    static void stopSqs() {
        sqs.close();
        sqsServer.close();
    }

    @AfterEach
    void killService() throws IOException {
        java.nio.file.Files.write(Path.of("target", "graceful-shutdown-service.log"), output);
        if (service != null && service.isAlive()) {
            service.destroyForcibly();
        }
    }

    @Test
    void sigtermLetsTheInFlightMessageFinish() throws Exception {
        String in = queue("drain-in", 20);
        String done = queue("drain-done", 20);
        start(3000, 25);
        sqs.sendMessage(b -> b.queueUrl(in).messageBody("order-1"));
        await().atMost(Duration.ofSeconds(30)).until(() -> logged("processing order-1"));

        stopWithSigterm();
        assertThat(logged("finished order-1")).isTrue();
        List<Message> finished = sqs.receiveMessage(b -> b.queueUrl(done).waitTimeSeconds(2)).messages();
        assertThat(finished).extracting(Message::body).containsExactly("order-1");
        assertThat(inQueue(in)).as("the finished message was deleted").isZero();
        assertEveryLineIsJson();
    }

    @Test
    void aMessageThatCannotFinishInTimeGoesBackToItsQueue() throws Exception {
        String in = queue("drain-in", 2);
        queue("drain-done", 2);
        start(120_000, 2);
        sqs.sendMessage(b -> b.queueUrl(in).messageBody("order-2"));
        await().atMost(Duration.ofSeconds(30)).until(() -> logged("processing order-2"));

        stopWithSigterm();
        assertThat(logged("finished order-2")).isFalse();
        List<Message> back = await().atMost(Duration.ofSeconds(10)).until(
                () -> sqs.receiveMessage(b -> b.queueUrl(in).waitTimeSeconds(1)).messages(), m -> !m.isEmpty());
        assertThat(back).extracting(Message::body).containsExactly("order-2");
    }

    private String queue(String name, int visibilityTimeoutSeconds) {
        String url = sqs.createQueue(b -> b.queueName(PREFIX + name)).queueUrl();
        sqs.setQueueAttributes(b -> b.queueUrl(url).attributes(
                Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, String.valueOf(visibilityTimeoutSeconds))));
        sqs.purgeQueue(b -> b.queueUrl(url));
        return url;
    }

    private int inQueue(String url) {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    private void start(long delayMillis, int shutdownTimeoutSeconds) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java,
                "-cp", System.getProperty("java.class.path"),
                // the service's own logging, not the tests' log4j2-test.xml
                "-Dlog4j2.configurationFile=log4j2.xml",
                "-Daws.endpoint.sqs=" + sqsServer.endpoint(),
                "-Daws.region=us-east-1",
                "-Daws.accessKeyId=x",
                "-Daws.secretAccessKey=x",
                "-Dcamel.server.port=" + FreePort.find("127.0.0.1"),
                "-Dcamel.management.port=" + FreePort.find("127.0.0.1"),
                "-Dcamel.main.routes-include-pattern=classpath:test-routes-drain/drain.camel.yaml",
                "-Dcamel.main.routes-builder-classes=" + DrainOnlyRouteBuilder.class.getName(),
                "-Dcamel.main.shutdown-timeout=" + shutdownTimeoutSeconds,
                // only the drain route runs: no business API to guard (SecuredApiTest covers the aws profile's JWT check)
                "-Dapp.security.enabled=false",
                // only an SQS queue stands in for AWS here (AwsProfileEndToEndTest checks the resources)
                "-Dapp.resources.check=false",
                "-Ddrain.delay=" + delayMillis,
                "io.cqrsworkers.Application");
        builder.environment().put("CAMEL_MAIN_PROFILE", "aws");
        builder.redirectErrorStream(true);
        service = builder.start();
        reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(service.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    output.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    private void stopWithSigterm() throws InterruptedException {
        // SIGTERM through the handle: Process.destroy() would also close our end of its output
        assertThat(service.toHandle().destroy()).isTrue();
        assertThat(service.waitFor(30, TimeUnit.SECONDS)).as("exited within 30 s").isTrue();
        assertThat(service.exitValue()).as("exit status after SIGTERM").isIn(0, 128 + 15);
        reader.join(5000); // the rest of its output
    }

    private boolean logged(String text) {
        return output.stream().anyMatch(line -> line.contains(text));
    }

    private void assertEveryLineIsJson() throws IOException {
        assertThat(output).isNotEmpty();
        for (String line : output) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode event = JSON.readTree(line);
            assertThat(event.isObject()).as(line).isTrue();
            assertThat(event.has("message")).as(line).isTrue();
        }
    }
}
