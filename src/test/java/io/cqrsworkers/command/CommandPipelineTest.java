package io.cqrsworkers.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.aws.AwsClients;
import io.cqrsworkers.aws.DynamoJson;
import io.cqrsworkers.config.AppConfiguration;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.EndpointInject;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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

/** The command pipeline end to end on the embedded AWS: API, stream, state machine, worker steps, read model. */
// the TTL test writes its settings after other tests of tenant t1 read none (the cache: TtlServiceTest)
@CamelMainTest(configurationClasses = AppConfiguration.class, properties = "app.command.ttl-settings-cache-seconds=0")
class CommandPipelineTest extends CommandTestSupport {

    @Test
    void fiveVersionsPublishedBackToBackAreAppliedInOrder() throws Exception {
        ttlSetting("sample-data", 30);
        ttlSetting("sample-history", 7);
        ttlSetting("sample-command", 3);
        long now = System.currentTimeMillis() / 1000;
        for (int v = 0; v < 5; v++) {
            HttpResponse<String> response = post("/api/commands/sample",
                    command("ORDER#t1", "ORDER#seq", v, "v" + (v + 1), "{\"n\":" + (v + 1) + "}"));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> dataVersion("ORDER#t1", "ORDER#seq") == 5);

        JsonNode data = item("sample-data", "ORDER#t1", "ORDER#seq").orElseThrow();
        assertThat(data.path("attributes").path("n").asInt()).isEqualTo(5);
        assertThat(data.path("csk").asText()).isEqualTo("ORDER#seq@5");
        assertThat(data.path("ttl").asLong()).isBetween(now + 30 * 86400 - 5, now + 30 * 86400 + 60);
        for (int v = 1; v <= 4; v++) {
            JsonNode history = item("sample-history", "ORDER#t1", "ORDER#seq@" + v).orElseThrow();
            assertThat(history.path("attributes").path("n").asInt()).isEqualTo(v);
            assertThat(history.path("ttl").asLong()).isBetween(now + 7 * 86400 - 5, now + 7 * 86400 + 60);
            JsonNode previous = item("sample-command", "ORDER#t1", "ORDER#seq@" + v).orElseThrow();
            assertThat(previous.path("ttl").asLong()).isBetween(now + 3 * 86400 - 5, now + 3 * 86400 + 60);
        }
        assertThat(item("sample-history", "ORDER#t1", "ORDER#seq@5")).isEmpty();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<ExecutionListItem> runs = executionsNamed("ORDER_seq");
            assertThat(runs).hasSize(5).allMatch(e -> e.status() == ExecutionStatus.SUCCEEDED);
        });
        for (int v = 1; v <= 5; v++) {
            assertThat(item("sample-command", "ORDER#t1", "ORDER#seq@" + v).orElseThrow().path("status").asText())
                    .isEqualTo("finish:FINISHED");
        }
        // a step message delivered again after the execution ended (a restart makes SQS redeliver what was in
        // flight) does not move a finished command back
        assertThat(context.getRegistry().lookupByNameAndType(CommandStore.BEAN, CommandStore.class).updateStatus("sample", "ORDER#t1", "ORDER#seq@5", "sync_data:FINISHED"))
                .isFalse();
        assertThat(item("sample-command", "ORDER#t1", "ORDER#seq@5").orElseThrow().path("status").asText())
                .isEqualTo("finish:FINISHED");
    }

    @Test
    void manyEntitiesWithSeveralVersionsAllComplete() throws Exception {
        int entities = 200;
        int versions = 2;
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < entities; i++) {
                String sk = "ITEM#" + i;
                results.add(pool.submit(() -> {
                    for (int v = 0; v < versions; v++) {
                        int status = post("/api/commands/sample", command("BULK#t1", sk, v, "v" + v, "{}")).statusCode();
                        if (status != 201) {
                            return status;
                        }
                    }
                    return 201;
                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get()).isEqualTo(201);
            }
        } finally {
            pool.shutdown();
        }
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            for (int i = 0; i < entities; i++) {
                if (dataVersion("BULK#t1", "ITEM#" + i) != versions) {
                    return false;
                }
            }
            return true;
        });
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(executionsNamed("BULK"))
                .hasSize(entities * versions).allMatch(e -> e.status() == ExecutionStatus.SUCCEEDED));
    }

    @Test
    void theSameStreamRecordDeliveredTwiceStartsOneExecution() throws Exception {
        assertThat(post("/api/commands/sample", command("DUP#t1", "DUP#1", 0, "once", "{}")).statusCode()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).until(() -> dataVersion("DUP#t1", "DUP#1") == 1);
        Map<String, AttributeValue> image = aws.dynamoDb().getItem(b -> b.tableName(prefix() + "sample-command")
                .key(Map.of("pk", AttributeValue.fromS("DUP#t1"), "sk", AttributeValue.fromS("DUP#1@1")))).item();
        // the same record as the stream delivered it (its image as at INSERT time)
        Map<String, AttributeValue> inserted = new java.util.HashMap<>(image);
        inserted.remove("status");
        inserted.remove("taskToken");
        inserted.remove("updatedAt");
        String first = executionsNamed("DUP_t1").get(0).executionArn();
        JsonNode original = JSON.readTree(aws.sfn().describeExecution(b -> b.executionArn(first)).input());
        Record record = Record.builder().eventID(original.path("eventID").asText()).eventName(OperationType.INSERT)
                .eventVersion(original.path("eventVersion").asText()).eventSource("aws:dynamodb")
                .awsRegion(original.path("awsRegion").asText())
                .dynamodb(StreamRecord.builder()
                        .keys(DynamoJson.fromDynamoJson(original.path("dynamodb").path("Keys")))
                        .newImage(DynamoJson.fromDynamoJson(original.path("dynamodb").path("NewImage")))
                        .sequenceNumber(original.path("dynamodb").path("SequenceNumber").asText())
                        .sizeBytes(original.path("dynamodb").path("SizeBytes").asLong())
                        .streamViewType(StreamViewType.NEW_IMAGE)
                        .approximateCreationDateTime(java.time.Instant.ofEpochSecond(
                                original.path("dynamodb").path("ApproximateCreationDateTime").asLong()))
                        .build())
                .build();
        String again = context.createProducerTemplate().requestBodyAndHeader(CommandStreamRoutes.START, record,
                CommandStreamRoutes.MODULE_HEADER, "sample", String.class);
        // the execution of that name is returned, running or ended: no second one starts
        assertThat(again).isEqualTo(first);
        assertThat(executionsNamed("DUP_t1")).hasSize(1);
        assertThat(CommandStarts.lambdaRecord(record, original.path("eventSourceARN").asText()).toString())
                .as("a redelivered record gives the same execution input").isEqualTo(
                        aws.sfn().describeExecution(b -> b.executionArn(first)).input());
    }

    @Test
    void aNotificationSubscriberReceivesTheStatusChangesOfItsTenantOnly() throws Exception {
        List<String> tenantTwo = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> tenantThree = new java.util.concurrent.CopyOnWriteArrayList<>();
        subscribe("t2", tenantTwo);
        subscribe("t3", tenantThree);
        await().atMost(Duration.ofSeconds(10)).until(() -> !tenantTwo.isEmpty() && !tenantThree.isEmpty());

        String body = "{\"pk\":\"NOTE#t2\",\"sk\":\"NOTE#1\",\"code\":\"c\",\"name\":\"n\",\"tenantCode\":\"t2\","
                + "\"type\":\"NOTE\",\"version\":0,\"attributes\":{}}";
        assertThat(post("/api/commands/sample", body).statusCode()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(90)).until(() -> tenantTwo.stream()
                .anyMatch(line -> line.contains("\"status\":\"finish:FINISHED\"")));
        List<JsonNode> events = new ArrayList<>();
        for (String line : tenantTwo) {
            if (line.startsWith("data: ")) {
                events.add(JSON.readTree(line.substring("data: ".length())));
            }
        }
        assertThat(events).allMatch(e -> e.path("tenantCode").asText().equals("t2")
                && e.path("action").asText().equals("command-status"));
        assertThat(events).extracting(e -> e.path("content").path("status").asText())
                .contains("check_version:STARTED", "check_version:FINISHED", "sync_data:FINISHED", "finish:FINISHED");
        assertThat(tenantThree).noneMatch(line -> line.startsWith("data: "));
    }

    @Test
    void aVersionConflictIsRefusedWith409AndWritesNothing() throws Exception {
        assertThat(post("/api/commands/sample", command("CONF#t1", "CONF#1", 0, "a", "{}")).statusCode()).isEqualTo(201);
        HttpResponse<String> again = post("/api/commands/sample", command("CONF#t1", "CONF#1", 0, "b", "{}"));
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(again.body()).path("message").asText()).contains("Version conflict");
        assertThat(item("sample-command", "CONF#t1", "CONF#1@1").orElseThrow().path("name").asText()).isEqualTo("a");
        assertThat(item("sample-command", "CONF#t1", "CONF#1@2")).isEmpty();
    }

    @Test
    void invalidInputIsRefusedWith400AndAClearMessage() throws Exception {
        HttpResponse<String> missing = post("/api/commands/sample", "{\"pk\":\"X#t1\",\"version\":0}");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("sk must be a non-empty string").contains("tenantCode");
        HttpResponse<String> notJson = post("/api/commands/sample", "{not json");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).contains("not valid JSON");
        assertThat(post("/api/commands/nope", command("X#t1", "X", 0, "x", "{}")).statusCode()).isEqualTo(404);
        assertThat(post("/api/commands/sample", command("X#t1", "X", 7, "x", "{}")).statusCode()).isEqualTo(400);
    }

    @Test
    void aSynchronousPublishWritesTheDataAtOnceWithoutAWorkflow() throws Exception {
        HttpResponse<String> response = post("/api/commands/sample/sync", command("SYNC#t1", "SYNC#1", 0, "now", "{}"));
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(dataVersion("SYNC#t1", "SYNC#1")).isEqualTo(1);
        assertNoWorkflowBefore("SYNC#t1");
    }

    @Test
    void aSyncBatchLeavesWhatPublishingOneByOneWouldLeave() throws Exception {
        CommandService service = context.getRegistry().lookupByNameAndType(CommandService.BEAN, CommandService.class);
        CommandStore store = context.getRegistry().lookupByNameAndType(CommandStore.BEAN, CommandStore.class);
        PublishOptions sync = new PublishOptions("batch-test", null, null, null, true);
        service.publish("sample", JSON.readTree(command("BATCH#t1", "A", 0, "a1", "{}")), sync);
        service.publish("sample", JSON.readTree(command("BATCH#t1", "B", 0, "b1", "{}")), sync);
        // B has a newer command than its data record, as while a workflow runs (SYNC: no workflow starts for it)
        store.putCommandIfAbsent("sample", syncCommand("BATCH#t1", "B", 2, "b2"));

        SyncBatch batch = service.syncBatch("sample", sync);
        batch.load(List.of(new CommandStore.ItemKey("BATCH#t1", "A"), new CommandStore.ItemKey("BATCH#t1", "C"),
                new CommandStore.ItemKey("BATCH#t1", "D")));
        assertThat(batch.data("BATCH#t1", "A")).get().extracting(d -> d.get("name").asText()).isEqualTo("a1");
        batch.add(JSON.readTree("{\"pk\":\"BATCH#t1\",\"sk\":\"A\",\"name\":\"a2\"}"), true);  // 0: A v2
        batch.add(JSON.readTree(command("BATCH#t1", "A", -1, "a2", "{}")), false);                // 1: unchanged
        batch.add(JSON.readTree(command("BATCH#t1", "C", -1, "c1", "{}")), false);                // 2: C v1
        batch.add(JSON.readTree(command("BATCH#t1", "C", -1, "c2", "{\"x\":1}")), false);       // 3: C v2
        batch.add(JSON.readTree(command("BATCH#t1", "B", -1, "b3", "{}")), false);                // 4: B v3, alone
        batch.add(JSON.readTree("{\"pk\":\"BATCH#t1\",\"sk\":\"E\",\"version\":-1}"), false);   // 5: invalid
        batch.add(JSON.readTree(command("BATCH#t1", "A", 0, "again", "{}")), false);              // 6: A v1 exists
        batch.add(JSON.readTree(command("BATCH#t1", "D", -1, "d1", "{}")), false);                // 7: D, raced
        // someone else writes D@1 before the batch's transaction: the transaction is refused, D goes on alone
        store.putCommandIfAbsent("sample", syncCommand("BATCH#t1", "D", 1, "other"));
        List<SyncBatch.Outcome> outcomes = batch.flush();

        assertThat(outcomes).extracting(o -> o.command() == null ? null : o.command().get("sk").asText())
                .containsExactly("A@2", "A@2", "C@1", "C@2", "B@3", null, null, "D@2");
        assertThat(outcomes).extracting(SyncBatch.Outcome::written)
                .containsExactly(true, false, true, true, true, false, false, true);
        assertThat(outcomes.get(5).error()).hasMessageContaining("name must be a non-empty string");
        assertThat(((CommandException) outcomes.get(6).error()).status()).isEqualTo(409);
        assertThat(item("sample-data", "BATCH#t1", "A").orElseThrow().get("name").asText()).isEqualTo("a2");
        assertThat(item("sample-history", "BATCH#t1", "A@1").orElseThrow().get("name").asText()).isEqualTo("a1");
        assertThat(item("sample-data", "BATCH#t1", "C").orElseThrow().at("/attributes/x").asInt()).isEqualTo(1);
        assertThat(item("sample-history", "BATCH#t1", "C@1").orElseThrow().get("name").asText()).isEqualTo("c1");
        assertThat(dataVersion("BATCH#t1", "B")).isEqualTo(3);
        assertThat(dataVersion("BATCH#t1", "D")).isEqualTo(2);
        assertThat(item("sample-command", "BATCH#t1", "C@2").orElseThrow().get("status").asText())
                .isEqualTo("finish:FINISHED");
        assertThat(item("sample-data", "BATCH#t1", "C").orElseThrow().get("createdAt"))
                .isEqualTo(item("sample-command", "BATCH#t1", "C@1").orElseThrow().get("createdAt"));
        assertNoWorkflowBefore("BATCH#t1");
    }

    /**
     * No execution started for the stream records written so far under {@code pk}:
     * a command published after them on the same partition key (so on the same stream shard, in order) starts its
     * execution, and once it has, every earlier record was seen.
     */
    private void assertNoWorkflowBefore(String pk) throws Exception {
        String marker = "MARK" + System.nanoTime();
        assertThat(post("/api/commands/sample", command(pk, marker, 0, "marker", "{}")).statusCode()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).until(() -> !executionsNamed(marker).isEmpty());
        String pkPart = pk.replace('#', '_');
        assertThat(executionsNamed(pkPart)).extracting(ExecutionListItem::name)
                .filteredOn(name -> !name.contains("MARK")).isEmpty();
    }

    /** A command row as a writer leaves it, marked SYNC so that its stream record starts no workflow. */
    private static com.fasterxml.jackson.databind.node.ObjectNode syncCommand(String pk, String skBase, long version,
                                                                          String name) throws Exception {
        return ((com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(command(pk, skBase + "@" + version,
                version, name, "{}"))).put("syncMode", "SYNC");
    }
}
