package io.cqrsworkers.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.aws.AwsClients;
import io.cqrsworkers.config.AppConfiguration;
import io.cqrsworkers.testkit.EmbeddedAws;
import io.cqrsworkers.testkit.EmbeddedAwsClient;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.aws2.sqs.Sqs2Constants;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The import action queue: rows applied from csv-batch-process messages (counted once, even when delivered again),
 * the job completing only after its last row is applied, messages that reach the DLQ ending their job, single-row
 * imports through the API and the stream (also when the stream record comes twice), and strategy routes replacing
 * the built-in parts.
 */
// a transiently failed message comes back after a second
@EmbeddedAws(routes = "classpath:test-routes/*.camel.yaml")
@CamelMainTest(configurationClasses = AppConfiguration.class, properties = "app.import.retry-delay-seconds=1")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImportQueueTest {

    private static final ObjectMapper JSON = io.cqrsworkers.json.Jackson.MAPPER;

    /** The class's embedded AWS: its ports, data folder and clients. */
    EmbeddedAwsClient kit;

    @BeanInject
    CamelContext context;

    @BeanInject
    AwsClients aws;

    /** Deliveries of the import action queue (bodies), and notifications sent. */
    private final List<String> deliveries = Collections.synchronizedList(new ArrayList<>());
    /** Messages whose exchange got to the end of the route (applied, or found applied already). */
    private final List<String> completed = Collections.synchronizedList(new ArrayList<>());
    private static final String DELIVERY = "TestDelivery";
    private final List<String> notifications = Collections.synchronizedList(new ArrayList<>());
    /** Holds back csv-batch-process messages of the tenant "gated" until opened. */
    private final CountDownLatch gate = new CountDownLatch(1);
    private final HttpClient http = HttpClient.newHttpClient();

    private boolean watching;

    /** Once per class, after the context is injected. */
    @BeforeEach
    void watchTheQueue() throws Exception {
        if (watching) {
            return;
        }
        watching = true;
        imports = new ImportTestSupport(context);
        AdviceWith.adviceWith(context, "import-action", a -> {
            a.weaveAddFirst().process(e -> {
                String body = e.getMessage().getBody(String.class);
                deliveries.add(body);
                e.setProperty(DELIVERY, body);
                if (body.contains("\"tenantCode\":\"gated\"")) {
                    gate.await(30, TimeUnit.SECONDS);
                }
            });
            a.weaveAddLast().process(e -> completed.add(e.getProperty(DELIVERY, String.class)));
        });
        AdviceWith.adviceWith(context, "notifications", a -> a.weaveAddFirst()
                .process(e -> notifications.add(e.getMessage().getBody(String.class))));
        // the import stream fails once between writing QUEUED and sending the message of tenant "restream"
        AdviceWith.adviceWith(context, "import-stream", a -> a.weaveByToUri("aws2-sqs:*").before().process(e -> {
            if (e.getMessage().getBody(String.class).contains("IMPORT#restream")
                    && !streamSendFailed) {
                streamSendFailed = true;
                throw new IllegalStateException("crash before the message was sent (test)");
            }
        }));
    }

    private volatile boolean streamSendFailed;

    private ImportTestSupport imports;

    /** DIRECT mode on a job its test runs itself; returns the job id once the reader has finished. */
    private String readDirect(String tenant, String csv) {
        String bucket = context.resolvePropertyPlaceholders("{{bucket:bucket}}");
        String key = "queue-test/" + UUID.randomUUID() + ".csv";
        aws.s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(csv));
        ImportRequest request = new ImportRequest("DIRECT", bucket, key, "sample", tenant, null);
        ImportRequest job = imports.processing(request);
        imports.readDirect(job, false);
        return job.sourceId();
    }

    private ObjectNode finished(String id) {
        await().atMost(Duration.ofSeconds(30)).until(() -> List.of("COMPLETED", "FAILED")
                .contains(imports.jobs().get(id).orElseThrow().get("status").asText()));
        return imports.jobs().get(id).orElseThrow();
    }

    private JsonNode data(String tenant, String code) {
        return imports.store().getData("sample", "SAMPLE#" + tenant, code, true).orElse(null);
    }

    @Test
    void aDeliveredAgainBatchMessageChangesNothingAndIsNotCountedAgain() throws Exception {
        String id = readDirect("again", "code,name\nr1,One\nr2,Two\nr3,Three\n");
        ObjectNode before = finished(id);
        assertThat(before.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(before.get("succeededRows").asLong()).isEqualTo(3);
        String message = deliveries.stream().filter(d -> d.contains(id)).findFirst().orElseThrow();
        int seen = completed.size();

        // the same message once more, as SQS may deliver it
        String queue = aws.sqs().getQueueUrl(b -> b.queueName(
                context.resolvePropertyPlaceholders("{{queue:import-action-queue}}"))).queueUrl();
        aws.sqs().sendMessage(b -> b.queueUrl(queue).messageBody(message));
        // done with it: what it changed, if anything, is written
        await().atMost(Duration.ofSeconds(20)).until(() -> completed.subList(seen, completed.size()).contains(message));

        ObjectNode after = imports.jobs().get(id).orElseThrow();
        for (String field : List.of("status", "totalRows", "processedRows", "succeededRows", "failedRows")) {
            assertThat(after.get(field)).as(field).isEqualTo(before.get(field));
        }
        assertThat(data("again", "r1").get("version").asLong()).isEqualTo(1);
        assertThat(imports.commands().latest("sample", "SAMPLE#again", "r3").orElseThrow()
                .get("version").asLong()).isEqualTo(1);
    }

    @Test
    void aTransientFailureRedeliversTheMessageAndAppliedRowsComeBackEqual() throws Exception {
        AtomicInteger failures = new AtomicInteger();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:import-sample.compare").routeId("import-sample.compare").process(e -> {
                    if (e.getMessage().getBody(String.class).contains("flaky") && failures.getAndIncrement() == 0) {
                        throw SdkClientException.create("DynamoDB unreachable (test)");
                    }
                }).to("direct:import-default.compare");
            }
        });
        try {
            String id = readDirect("flaky", "code,name\nf1,One\nflaky,Two\nf3,Three\n");
            ObjectNode job = finished(id);
            assertThat(job.get("status").asText()).isEqualTo("COMPLETED");
            assertThat(job.get("succeededRows").asLong()).isEqualTo(3);
            assertThat(job.get("processedRows").asLong()).isEqualTo(3);
            assertThat(deliveries.stream().filter(d -> d.contains(id))).hasSize(2);
            assertThat(failures.get()).isEqualTo(2);
            // f1 was applied by the first delivery and compared EQUAL in the second
            assertThat(imports.commands().latest("sample", "SAMPLE#flaky", "f1").orElseThrow()
                    .get("version").asLong()).isEqualTo(1);
            assertThat(data("flaky", "f3").get("source").asText()).isEqualTo(id);
        } finally {
            context.getRouteController().stopRoute("import-sample.compare");
            context.removeRoute("import-sample.compare");
        }
    }

    @Test
    void theJobCompletesOnlyWhenItsLastRowIsApplied() {
        StringBuilder csv = new StringBuilder("code,name\n");
        for (int i = 0; i < 250; i++) {
            csv.append("g").append(i).append(",Gated ").append(i).append('\n');
        }
        csv.append("bad\n");
        String id = readDirect("gated", csv.toString());

        ObjectNode read = imports.jobs().get(id).orElseThrow();
        assertThat(read.get("status").asText()).isEqualTo("PROCESSING");
        assertThat(read.get("readerDone").asBoolean()).isTrue();
        assertThat(read.get("totalRows").asLong()).isEqualTo(251);
        assertThat(read.get("queuedRows").asLong()).isEqualTo(250);
        assertThat(read.get("failedRows").asLong()).isEqualTo(1);
        assertThat(read.get("succeededRows").asLong()).isZero();

        gate.countDown();
        ObjectNode job = finished(id);
        assertThat(job.get("status").asText()).isEqualTo("FAILED");
        assertThat(job.get("succeededRows").asLong()).isEqualTo(250);
        assertThat(job.get("processedRows").asLong()).isEqualTo(251);
        // "bad" has too few columns: padded (AWS's rule), its name is empty
        assertThat(job.get("rowErrors").toString())
                .contains("{\"row\":251,\"reason\":\"row 251 (bad): code and name are required\"}");
        assertThat(data("gated", "g249").get("name").asText()).isEqualTo("Gated 249");
    }

    @Test
    void csvRowsHandlerQueuesValidRowsInMessagesUnderTheSizeLimit() {
        ImportRequest request = new ImportRequest("DIRECT", "b", "k", "sample", "sizes", null);
        String id = imports.jobs().create(request, ImportStatus.PROCESSING).get("id").asText();
        ObjectNode batch = JSON.createObjectNode();
        batch.putObject("BatchInput").set("Attributes", request.withSourceId(id).toJson());
        var items = batch.putArray("Items");
        String big = "x".repeat(5000);
        for (int i = 0; i < 60; i++) {
            item(items, i).put("code", "z" + i).put("name", "Z").put("note", big);
        }
        item(items, 60).put("code", "huge").put("name", "H").put("note", "y".repeat(ImportActionQueue.MAX_BODY_BYTES));
        item(items, 61).put("code", "").put("name", "no code");
        item(items, 62).put("code", "bad").put("name", "caf\uFFFD");

        BatchResult result = imports.rows().handle("b0", batch);

        assertThat(result.totalRows()).isEqualTo(63);
        assertThat(result.succeededRows()).isEqualTo(60);
        assertThat(result.failedRows()).isEqualTo(3);
        assertThat(result.errors()).extracting(RowError::row).containsExactlyInAnyOrder(61L, 62L, 63L);
        assertThat(result.errors()).extracting(RowError::reason).anyMatch(r -> r.startsWith("row 61 (huge)"
                + ": the row is larger than an SQS message")).contains("row 62 (): code and name are required")
                .contains("row 63 (bad): invalid UTF-8");
        imports.bean(FinalizeParentJob.BEAN, FinalizeParentJob.class).completed(id);
        ObjectNode job = finished(id);
        assertThat(job.get("succeededRows").asLong()).isEqualTo(60);
        assertThat(job.get("failedRows").asLong()).isEqualTo(3);
        // two messages (either may have been delivered more than once: the queue's retry delay is short here)
        List<String> messages = deliveries.stream().filter(d -> d.contains(id)).distinct().toList();
        assertThat(messages.size()).isEqualTo(2);
        assertThat(messages).allMatch(m -> m.getBytes(StandardCharsets.UTF_8).length
                <= ImportActionQueue.MAX_BODY_BYTES);
        assertThat(messages.stream().map(m -> {
            try {
                return JSON.readTree(m).get("batchKey").asText();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).collect(Collectors.toSet())).containsExactlyInAnyOrder("b0/0", "b0/1");
        // each queued row with its number: z0..z59 are rows 1..60
        List<Long> numbers = new java.util.ArrayList<>();
        messages.forEach(m -> {
            try {
                JSON.readTree(m).get("rowNumbers").forEach(n -> numbers.add(n.asLong()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(numbers).containsExactlyInAnyOrderElementsOf(
                java.util.stream.LongStream.rangeClosed(1, 60).boxed().toList());
    }

    /** An item of a batch as the map's ItemSelector makes it; returns its row value to fill. */
    private static ObjectNode item(com.fasterxml.jackson.databind.node.ArrayNode items, int index) {
        ObjectNode item = items.addObject().put("index", index);
        return item.putObject("value");
    }

    private JsonNode post(String table, String tenant, String row) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + kit.serverPort() + "/api/imports/" + table + "?tenantCode=" + tenant))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(row)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body());
    }

    /** Reads the import back through the API until it has ended. */
    private JsonNode ended(JsonNode created) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + kit.serverPort() + "/api/imports?id="
                + URLEncoder.encode(created.get("id").asText(), StandardCharsets.UTF_8));
        JsonNode[] last = new JsonNode[1];
        // the first stream record of a fresh service waits for the stream consumer's lease (long on a busy machine)
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString());
            last[0] = JSON.readTree(response.body());
            return response.statusCode() == 200 && List.of("COMPLETED", "FAILED").contains(last[0].get("status").asText());
        });
        return last[0];
    }

    @Test
    void aSingleRowImportIsAppliedByItsStrategyAndReadBack() throws Exception {
        // curl's -d without a Content-Type header is form-encoded: a clear 400, not a server error
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + kit.serverPort() + "/api/imports/sample?tenantCode=single"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("{\"code\":\"s0\",\"name\":\"Form\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(form.statusCode()).isEqualTo(400);
        assertThat(form.body()).contains("Content-Type: application/json");
        JsonNode created = post("sample", "single", "{\"code\":\"s1\",\"name\":\"Single\",\"color\":\"red\"}");
        assertThat(created.get("status").asText()).isEqualTo("CREATED");
        JsonNode done = ended(created);
        assertThat(done.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(done.at("/result/pk").asText()).isEqualTo("SAMPLE#single");
        assertThat(done.at("/result/source").asText()).isEqualTo(created.get("id").asText());
        assertThat(data("single", "s1").at("/attributes/color").asText()).isEqualTo("red");
        String sk = created.get("sk").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> List.of("QUEUED", "PROCESSING", "COMPLETED").stream()
                .allMatch(s -> notifications.stream().anyMatch(n -> n.contains("\"action\":\"import-status\"")
                        && n.contains(sk) && n.contains("\"status\":\"" + s + "\""))));

        JsonNode same = ended(post("sample", "single", "{\"code\":\"s1\",\"name\":\"Single\",\"color\":\"red\"}"));
        assertThat(same.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(same.at("/result/status").asText()).isEqualTo("EQUAL");

        JsonNode changed = ended(post("sample", "single", "{\"code\":\"s1\",\"name\":\"Renamed\"}"));
        assertThat(changed.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(changed.at("/result/version").asLong()).isEqualTo(2);
        // a partial update keeps what the row does not mention
        assertThat(data("single", "s1").at("/attributes/color").asText()).isEqualTo("red");
        assertThat(data("single", "s1").get("name").asText()).isEqualTo("Renamed");

        JsonNode invalid = ended(post("sample", "single", "{\"code\":\"s2\"}"));
        assertThat(invalid.get("status").asText()).isEqualTo("FAILED");
        assertThat(invalid.at("/result/error/message").asText()).isEqualTo("code and name are required");
    }

    @Test
    void theShippedExampleStrategyRouteReplacesTheBuiltInPart() throws Exception {
        // routes/import-sample.camel.yaml: direct:import-sample.validate refuses codes with spaces, then delegates
        JsonNode spaced = ended(post("sample", "example", "{\"code\":\"a b\",\"name\":\"Spaced\"}"));
        assertThat(spaced.get("status").asText()).isEqualTo("FAILED");
        assertThat(spaced.at("/result/error/message").asText()).isEqualTo("code must not contain spaces");
        JsonNode unnamed = ended(post("sample", "example", "{\"code\":\"ab\"}"));
        assertThat(unnamed.at("/result/error/message").asText()).isEqualTo("code and name are required");
        assertThat(ended(post("sample", "example", "{\"code\":\"ab\",\"name\":\"Fine\"}")).get("status").asText())
                .isEqualTo("COMPLETED");

        // without the route, the built-in part takes over again
        String yaml = Files.readString(Path.of("routes/import-sample.camel.yaml"));
        context.getRouteController().stopRoute("import-sample.validate");
        context.removeRoute("import-sample.validate");
        try {
            assertThat(ended(post("sample", "example", "{\"code\":\"c d\",\"name\":\"Spaced\"}")).get("status")
                    .asText()).isEqualTo("COMPLETED");
        } finally {
            PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("again.camel.yaml", yaml));
        }
    }
    @Test
    void aConfiguredEndpointAndTheAsynchronousPublishMode() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:test-shout").routeId("test-shout").process(e -> {
                    ObjectNode row = (ObjectNode) JSON.readTree(e.getMessage().getBody(String.class));
                    row.put("name", row.path("name").asText().toUpperCase());
                    e.getMessage().setBody(row.toString());
                });
            }
        });
        java.util.Properties overrides = new java.util.Properties();
        overrides.setProperty("app.import.strategies.sample.transform", "direct:test-shout");
        overrides.setProperty("app.import.strategies.sample.publish-mode", "ASYNC");
        context.getPropertiesComponent().setOverrideProperties(overrides);
        try {
            JsonNode done = ended(post("sample", "async", "{\"code\":\"a1\",\"name\":\"quiet\"}"));
            assertThat(done.get("status").asText()).isEqualTo("COMPLETED");
            assertThat(done.at("/result/name").asText()).isEqualTo("QUIET");
            // written, not applied: the command workflow writes the read model
            assertThat(done.at("/result/syncMode").isMissingNode() || done.at("/result/syncMode").isNull()).isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() -> data("async", "a1") != null);
            assertThat(data("async", "a1").get("name").asText()).isEqualTo("QUIET");
        } finally {
            context.getPropertiesComponent().setOverrideProperties(new java.util.Properties());
            context.getRouteController().stopRoute("test-shout");
            context.removeRoute("test-shout");
        }
    }
    @Test
    void aBatchMessageThatKeepsFailingEndsInTheDeadLetterQueueAndItsRowsAreCountedFailed() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:import-sample.compare").routeId("import-sample.compare").process(e -> {
                    if (e.getMessage().getBody(String.class).contains("doomed")) {
                        throw SdkClientException.create("DynamoDB unreachable (test)");
                    }
                }).to("direct:import-default.compare");
            }
        });
        try {
            NotifyBuilder deadLetter = new NotifyBuilder(context).fromRoute("import-action-dlq")
                    .filter(e -> e.getMessage().getBody(String.class).contains("\"tenantCode\":\"doomed\""))
                    .whenDone(1).create();
            String id = readDirect("doomed", "code,name\nd1,One\ndoomed,Two\n");
            ObjectNode job = finished(id);
            assertThat(deadLetter.matches(10, TimeUnit.SECONDS)).as("ended by the DLQ's route").isTrue();
            // maxReceiveCount deliveries (10 for import-action-queue in infra/resources.yaml), then the queue moved it
            assertThat(deliveries.stream().filter(d -> d.contains(id)).count()).isEqualTo(10);
            assertThat(job.get("status").asText()).isEqualTo("FAILED");
            assertThat(job.get("totalRows").asLong()).isEqualTo(2);
            assertThat(job.get("succeededRows").asLong() + job.get("failedRows").asLong()).isEqualTo(2);
            assertThat(job.get("failedRows").asLong()).isEqualTo(2);
            assertThat(job.get("processedRows").asLong()).isEqualTo(2);
            assertThat(job.at("/result/message").asText()).isEqualTo("2 of 2 rows failed");
            assertThat(job.get("rowErrors").toString())
                    .contains("{\"row\":2,\"reason\":\"row 2 (doomed): not applied (message direct-0/0): the message reached "
                            + "import-action-queue-dlq after failing every delivery; last error: "
                            + "software.amazon.awssdk.core.exception.SdkClientException: DynamoDB unreachable (test)");
        } finally {
            context.getRouteController().stopRoute("import-sample.compare");
            context.removeRoute("import-sample.compare");
        }
    }

    @Test
    void aDirectJobWhoseStartMessageKeepsFailingEndsFailedWithTheRowsItReadCounted() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:import-sample.transform").routeId("import-sample.transform").process(e -> {
                    if (e.getMessage().getBody(String.class).contains("poison")) {
                        throw SdkClientException.create("S3 unreachable (test)");
                    }
                }).to("direct:import-default.transform");
            }
        });
        try {
            // 300 rows: the second batch (rows 100-199) cannot be read, every time the job's message comes
            StringBuilder csv = new StringBuilder("code,name\n");
            for (int i = 0; i < 300; i++) {
                csv.append(i == 150 ? "poison" : "k" + i).append(",Name ").append(i).append('\n');
            }
            String bucket = context.resolvePropertyPlaceholders("{{bucket:bucket}}");
            String key = "queue-test/" + UUID.randomUUID() + ".csv";
            aws.s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(csv.toString()));
            String id = imports.created(new ImportRequest("DIRECT", bucket, key, "sample", "deadstart", null));

            await().atMost(Duration.ofSeconds(60)).until(() -> List.of("COMPLETED", "FAILED")
                    .contains(imports.jobs().get(id).orElseThrow().get("status").asText()));
            ObjectNode job = imports.jobs().get(id).orElseThrow();
            String start = "\"sk\":\"" + job.get("sk").asText() + "\"";
            assertThat(deliveries.stream().filter(d -> d.contains(start)).count()).as("maxReceiveCount").isEqualTo(10);
            assertThat(job.get("status").asText()).isEqualTo("FAILED");
            long total = job.get("totalRows").asLong();
            assertThat(total).isEqualTo(job.get("readRows").asLong()).isBetween(100L, 200L);
            assertThat(job.get("succeededRows").asLong() + job.get("failedRows").asLong()).isEqualTo(total);
            assertThat(job.get("processedRows").asLong()).isEqualTo(total);
            assertThat(job.at("/result/message").asText())
                    .startsWith("The file was not read to its end (the message reached import-action-queue-dlq "
                            + "after failing every delivery; last error: ")
                    .contains("S3 unreachable (test)").endsWith("of the " + total + " rows read none failed");
            assertThat(data("deadstart", "k0")).isNotNull();
            assertThat(data("deadstart", "k150")).isNull();
        } finally {
            context.getRouteController().stopRoute("import-sample.transform");
            context.removeRoute("import-sample.transform");
        }
    }

    /**
     * The stream route wrote QUEUED and then failed before its message was sent (as a crash would): the record,
     * delivered again, still sends it, and the import runs once.
     */
    @Test
    void aStreamRecordDeliveredAgainAfterQueuedWasWrittenStillQueuesTheImportOnce() throws Exception {
        JsonNode created = post("sample", "restream", "{\"code\":\"re1\",\"name\":\"Again\"}");
        JsonNode done = ended(created);
        assertThat(streamSendFailed).as("the first attempt wrote QUEUED and failed").isTrue();
        assertThat(done.get("status").asText()).isEqualTo("COMPLETED");
        String sk = created.get("sk").asText();
        assertThat(deliveries.stream().filter(d -> d.contains(sk))).hasSize(1);
        assertThat(imports.commands().latest("sample", "SAMPLE#restream", "re1").orElseThrow()
                .get("version").asLong()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> statuses(sk).size() >= 3);
        // each announced once; in any order: the notifications route has two pollers (app.notifications.pollers)
        assertThat(statuses(sk)).containsExactlyInAnyOrder("QUEUED", "PROCESSING", "COMPLETED");
    }

    /** The import-status notifications of an import, in order. */
    private List<String> statuses(String sk) throws Exception {
        List<String> statuses = new ArrayList<>();
        for (String n : List.copyOf(notifications)) {
            JsonNode notification = JSON.readTree(n);
            if ("import-status".equals(notification.path("action").asText())
                    && sk.equals(notification.path("sk").asText())) {
                statuses.add(notification.at("/content/status").asText());
            }
        }
        return statuses;
    }
}
