package io.cqrsworkers.foundation;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.aws.AwsClients;
import io.cqrsworkers.config.AppConfiguration;
import io.cqrsworkers.json.Jackson;
import io.cqrsworkers.resources.Provisioner;
import io.cqrsworkers.resources.ResourceDescription;
import io.cqrsworkers.support.Http;
import io.cqrsworkers.testkit.EmbeddedAws;
import io.cqrsworkers.testkit.EmbeddedAwsClient;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.EndpointInject;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The service boots on the embedded default with its resources, routes, health and metrics. */
@EmbeddedAws(routes = "classpath:test-routes/foundation.camel.yaml")
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalServiceTest {

    EmbeddedAwsClient kit;

    @BeanInject
    CamelContext context;

    @BeanInject
    AwsClients aws;

    @EndpointInject("mock:consumed")
    MockEndpoint consumed;

    private String prefix() {
        return context.resolvePropertyPlaceholders("{{app.prefix}}");
    }

    @Test
    void createsEveryDescribedQueueWithItsDeadLetterQueueAndTheBucket() throws Exception {
        ResourceDescription resources = ResourceDescription.load();
        List<String> urls = aws.sqs().listQueues(b -> b.queueNamePrefix(prefix())).queueUrls();
        for (ResourceDescription.Queue queue : resources.queues()) {
            String url = urls.stream().filter(u -> u.endsWith("/" + prefix() + queue.name())).findFirst()
                    .orElseThrow(() -> new AssertionError("queue " + queue.name() + " missing in " + urls));
            assertThat(urls).anyMatch(u -> u.endsWith("/" + prefix() + queue.deadLetterName()));
            Map<QueueAttributeName, String> attributes = aws.sqs().getQueueAttributes(b -> b.queueUrl(url)
                    .attributeNames(QueueAttributeName.ALL)).attributes();
            JsonNode redrive = Jackson.MAPPER.readTree(attributes.get(QueueAttributeName.REDRIVE_POLICY));
            assertThat(redrive.path("deadLetterTargetArn").asText()).endsWith(":" + prefix() + queue.deadLetterName());
            assertThat(redrive.path("maxReceiveCount").asInt()).isEqualTo(resources.maxReceiveCount(queue));
        }
        assertThat(aws.s3().listBuckets().buckets()).anyMatch(b -> b.name().equals(prefix() + resources.bucket()));
    }

    @Test
    void aQueueWhoseDescriptionChangedGetsTheNewAttributesAtTheNextStart() throws Exception {
        ResourceDescription resources = ResourceDescription.load();
        Provisioner provisioner = new Provisioner(aws, prefix(), key -> null);
        String url = provisioner.createQueue(resources, new ResourceDescription.Queue("changed-queue", 5, 2));
        // queues persist in the embedded SQS too: the next start finds the queue with the old attributes
        assertThat(provisioner.createQueue(resources, new ResourceDescription.Queue("changed-queue", 9, 4)))
                .isEqualTo(url);
        Map<QueueAttributeName, String> attributes = aws.sqs().getQueueAttributes(b -> b.queueUrl(url)
                .attributeNames(QueueAttributeName.ALL)).attributes();
        assertThat(attributes.get(QueueAttributeName.VISIBILITY_TIMEOUT)).isEqualTo("9");
        assertThat(Jackson.MAPPER.readTree(attributes.get(QueueAttributeName.REDRIVE_POLICY)).path("maxReceiveCount").asInt())
                .isEqualTo(4);
    }

    @Test
    void aYamlRouteConsumesAQueueAndAFailingMessageEndsInTheDeadLetterQueue() throws Exception {
        ResourceDescription resources = ResourceDescription.load();
        ResourceDescription.Queue queue = new ResourceDescription.Queue("foundation-test-queue", 1, 2);
        String url = new Provisioner(aws, prefix(), key -> null).createQueue(resources, queue);
        String dlqUrl = aws.sqs().getQueueUrl(b -> b.queueName(prefix() + queue.deadLetterName())).queueUrl();
        context.getRouteController().startRoute("test-queue-consumer");

        consumed.expectedBodiesReceived("hello");
        aws.sqs().sendMessage(b -> b.queueUrl(url).messageBody("poison"));
        aws.sqs().sendMessage(b -> b.queueUrl(url).messageBody("hello"));
        consumed.assertIsSatisfied(10_000);

        // delivered twice (maxReceiveCount 2), failed twice, then moved by the queue's redrive policy
        Message dead = await().atMost(Duration.ofSeconds(20)).until(() -> aws.sqs().receiveMessage(b -> b
                        .queueUrl(dlqUrl).waitTimeSeconds(1).messageSystemAttributeNames(MessageSystemAttributeName.ALL))
                .messages(), m -> !m.isEmpty()).get(0);
        assertThat(dead.body()).isEqualTo("poison");
        assertThat(dead.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).isIn("2", "3");
        consumed.assertIsSatisfied();
        await().atMost(Duration.ofSeconds(10)).until(() -> "0".equals(aws.sqs().getQueueAttributes(b -> b.queueUrl(url)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)));
        context.getRouteController().stopRoute("test-queue-consumer");
    }

    @Test
    void anObjectWrittenToS3IsReadBackAsAStream() throws Exception {
        String bucket = prefix() + ResourceDescription.load().bucket();
        byte[] content = new byte[8 * 1024 * 1024];
        new Random(42).nextBytes(content);
        aws.s3().putObject(b -> b.bucket(bucket).key("test/blob.bin"), RequestBody.fromBytes(content));

        ProducerTemplate template = context.createProducerTemplate();
        Object body = template.requestBodyAndHeader("direct:read-object", null, "CamelAwsS3Key", "test/blob.bin");
        assertThat(body).isInstanceOf(InputStream.class);
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        MessageDigest actual = MessageDigest.getInstance("SHA-256");
        try (InputStream in = (InputStream) body) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                actual.update(buffer, 0, n);
            }
        }
        assertThat(HexFormat.of().formatHex(actual.digest()))
                .isEqualTo(HexFormat.of().formatHex(expected.digest(content)));
    }

    @Test
    void healthIsUpWhenEverythingRunsAndReadinessFallsWhenARouteStops() throws Exception {
        String base = kit.managementUrl() + "/observe/health";
        // ready once the stream consumers hold their leases (KCL waits 1-30 s at random on a new application)
        await().atMost(Duration.ofSeconds(90)).until(() -> Http.get(base + "/ready").status() == 200);
        assertThat(Http.get(base + "/ready").body()).contains("\"status\":\"UP\"");
        assertThat(Http.get(base + "/live").status()).isEqualTo(200);
        assertThat(Http.get(base + "?exposureLevel=full").body()).contains("embedded-aws");

        context.getRouteController().stopRoute("test-s3-read");
        try {
            Http.Response ready = Http.get(base + "/ready");
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.body()).contains("\"status\":\"DOWN\"");
        } finally {
            context.getRouteController().startRoute("test-s3-read");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> Http.get(base + "/ready").status() == 200);
    }

    @Test
    void metricsArePublishedForPrometheus() {
        Http.Response metrics = Http.get(kit.managementUrl() + "/observe/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("# TYPE").contains("camel_");
    }

    @Test
    void routesNameResourcesByTheirPhysicalNames() {
        assertThat(context.resolvePropertyPlaceholders("{{queue:task-action-queue}}"))
                .isEqualTo(prefix() + "task-action-queue");
        assertThat(prefix()).isEqualTo("local-cqrs-");
        assertThat(aws.endpoints()).containsKeys(AwsClients.SQS, AwsClients.S3);
    }
}
