package io.cqrsworkers.localaws.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.DescribeMapRunResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.MapRunStatus;
import software.amazon.awssdk.services.sqs.model.Message;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.cqrsworkers.localaws.stepfunctions.SfnTestSupport.createMachine;
import static io.cqrsworkers.localaws.stepfunctions.SfnTestSupport.history;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Distributed Map with S3 (S3Proxy) item readers and result writer, and SQS (emulator) callback children. */
class DistributedMapTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static LocalSqs sqs;
    static LocalS3 s3;
    static StepFunctionsEmulator emulator;
    static SfnClient sfn;

    @BeforeAll
    static void start() throws Exception {
        sqs = new LocalSqs();
        s3 = new LocalS3();
        emulator = StepFunctionsEmulator.builder().sqsEndpoint(sqs.endpoint).s3Endpoint(s3.endpoint).build();
        emulator.start();
        sfn = SfnTestSupport.client(emulator);
        s3.client.createBucket(b -> b.bucket("data"));
    }

    @AfterAll
    static void stop() {
        sfn.close();
        emulator.close();
        s3.close();
        sqs.close();
    }

    private static DescribeExecutionResponse awaitEnd(String arn) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> sfn.describeExecution(b -> b.executionArn(arn)), d -> d.status() != ExecutionStatus.RUNNING);
    }

    private static String object(String key) {
        return s3.client.getObjectAsBytes(b -> b.bucket("data").key(key)).asUtf8String();
    }

    @Test
    void csvBatchesToCallbackChildrenWithResultWriter() throws Exception {
        StringBuilder csv = new StringBuilder("id,name,note\n");
        for (int i = 0; i < 250; i++) {
            csv.append(i).append(",name").append(i).append(",\"a, \"\"quoted\"\" note\"\n");
        }
        s3.client.putObject(b -> b.bucket("data").key("in/rows.csv"), RequestBody.fromString(csv.toString()));
        String queueUrl = sqs.client.createQueue(b -> b.queueName("rows")).queueUrl();
        String machine = createMachine(sfn, "import", """
                {"StartAt":"Rows","States":{"Rows":{"Type":"Map","Label":"rows","MaxConcurrency":50,
                  "ItemReader":{"Resource":"arn:aws:states:::s3:getObject",
                    "ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW"},
                    "Parameters":{"Bucket":"data","Key.$":"$.key"}},
                  "ItemBatcher":{"MaxItemsPerBatch":100,"BatchInput":{"job.$":"$.job"}},
                  "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
                    "StartAt":"Handle","States":{"Handle":{"Type":"Task",
                      "Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                      "Parameters":{"QueueUrl":"%s","MessageBody":{"input.$":"$","taskToken.$":"$$.Task.Token"}},"End":true}}},
                  "ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"data","Prefix":"results"}},
                  "End":true}}}""".formatted(queueUrl));
        AtomicInteger rows = new AtomicInteger();
        AtomicBoolean quoted = new AtomicBoolean(true);
        AtomicBoolean stop = new AtomicBoolean();
        Thread worker = new Thread(() -> {
            while (!stop.get()) {
                for (Message m : sqs.client.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
                    try {
                        JsonNode body = MAPPER.readTree(m.body());
                        JsonNode items = body.path("input").path("Items");
                        rows.addAndGet(items.size());
                        items.forEach(i -> quoted.compareAndSet(true, i.path("note").asText().equals("a, \"quoted\" note")));
                        String job = body.path("input").path("BatchInput").path("job").asText();
                        sfn.sendTaskSuccess(b -> b.taskToken(body.path("taskToken").asText()).output("{\"count\":" + items.size() + ",\"job\":\"" + job + "\"}"));
                        sqs.client.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        });
        worker.start();
        try {
            String exec = sfn.startExecution(b -> b.stateMachineArn(machine).input("{\"key\":\"in/rows.csv\",\"job\":\"j1\"}")).executionArn();
            DescribeExecutionResponse d = awaitEnd(exec);
            assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(rows.get()).isEqualTo(250);
            assertThat(quoted.get()).isTrue();
            JsonNode out = MAPPER.readTree(d.output());
            String mapRunArn = out.path("MapRunArn").asText();
            assertThat(mapRunArn).startsWith("arn:aws:states:us-east-1:000000000000:mapRun:import/rows:");
            String manifestKey = out.path("ResultWriterDetails").path("Key").asText();
            assertThat(out.path("ResultWriterDetails").path("Bucket").asText()).isEqualTo("data");
            assertThat(manifestKey).startsWith("results/").endsWith("/manifest.json");
            JsonNode manifest = MAPPER.readTree(object(manifestKey));
            assertThat(manifest.path("MapRunArn").asText()).isEqualTo(mapRunArn);
            String succeededKey = manifest.path("ResultFiles").path("SUCCEEDED").get(0).path("Key").asText();
            JsonNode succeeded = MAPPER.readTree(object(succeededKey));
            assertThat(succeeded).hasSize(3);
            assertThat(succeeded.get(0).path("Status").asText()).isEqualTo("SUCCEEDED");
            assertThat(MAPPER.readTree(succeeded.get(0).path("Output").asText()).path("job").asText()).isEqualTo("j1");
            assertThat(manifest.path("ResultFiles").path("FAILED")).isEmpty();

            DescribeMapRunResponse run = sfn.describeMapRun(b -> b.mapRunArn(mapRunArn));
            assertThat(run.status()).isEqualTo(MapRunStatus.SUCCEEDED);
            assertThat(run.maxConcurrency()).isEqualTo(50);
            assertThat(run.itemCounts().total()).isEqualTo(250);
            assertThat(run.itemCounts().succeeded()).isEqualTo(250);
            assertThat(run.executionCounts().succeeded()).isEqualTo(3);
            assertThat(sfn.listMapRuns(b -> b.executionArn(exec)).mapRuns()).extracting(m -> m.mapRunArn()).containsExactly(mapRunArn);
            assertThat(sfn.listExecutions(b -> b.mapRunArn(mapRunArn)).executions()).hasSize(3);
            assertThat(history(sfn, exec)).extracting(HistoryEvent::type).containsExactly(
                    HistoryEventType.EXECUTION_STARTED, HistoryEventType.MAP_STATE_ENTERED, HistoryEventType.MAP_RUN_STARTED,
                    HistoryEventType.MAP_RUN_SUCCEEDED, HistoryEventType.MAP_STATE_EXITED, HistoryEventType.EXECUTION_SUCCEEDED);
        } finally {
            stop.set(true);
            worker.join();
        }
    }

    @Test
    void jsonItemsToExpressChildrenWithOrderedOutputs() {
        s3.client.putObject(b -> b.bucket("data").key("in/items.json"), RequestBody.fromString("[{\"n\":1},{\"n\":2},{\"n\":3}]"));
        String machine = createMachine(sfn, "json-express", """
                {"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":2,
                  "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON"},
                    "Parameters":{"Bucket":"data","Key":"in/items.json"}},
                  "ItemSelector":{"v.$":"$$.Map.Item.Value.n","i.$":"$$.Map.Item.Index"},
                  "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},
                    "StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}""");
        String exec = sfn.startExecution(b -> b.stateMachineArn(machine)).executionArn();
        DescribeExecutionResponse d = awaitEnd(exec);
        assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(d.output()).isEqualTo("[{\"v\":1,\"i\":0},{\"v\":2,\"i\":1},{\"v\":3,\"i\":2}]");
    }

    @Test
    void jsonlWithMaxItemsAndToleratedFailures() {
        s3.client.putObject(b -> b.bucket("data").key("in/items.jsonl"), RequestBody.fromString("{\"ok\":true}\n{\"ok\":false}\n{\"ok\":true}\n{\"ok\":true}\n{\"ok\":false}\n"));
        String definition = """
                {"StartAt":"M","States":{"M":{"Type":"Map",%s
                  "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSONL","MaxItems":4},
                    "Parameters":{"Bucket":"data","Key":"in/items.jsonl"}},
                  "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},
                    "StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.ok","BooleanEquals":true,"Next":"Ok"}],"Default":"Bad"},
                      "Ok":{"Type":"Succeed"},"Bad":{"Type":"Fail","Error":"BadItem"}}},"End":true}}}""";
        String tolerant = createMachine(sfn, "tolerant", definition.formatted("\"ToleratedFailureCount\":1,"));
        DescribeExecutionResponse ok = awaitEnd(sfn.startExecution(b -> b.stateMachineArn(tolerant)).executionArn());
        assertThat(ok.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(ok.output()).isEqualTo("[{\"ok\":true},{\"ok\":true},{\"ok\":true}]");
        String strict = createMachine(sfn, "strict", definition.formatted(""));
        DescribeExecutionResponse failed = awaitEnd(sfn.startExecution(b -> b.stateMachineArn(strict)).executionArn());
        assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(failed.error()).isEqualTo("States.ExceedToleratedFailureThreshold");
    }

    @Test
    void listObjectsV2Reader() {
        for (String k : List.of("list/a.txt", "list/b.txt")) {
            s3.client.putObject(b -> b.bucket("data").key(k), RequestBody.fromString("x"));
        }
        String machine = createMachine(sfn, "listing", """
                {"StartAt":"M","States":{"M":{"Type":"Map",
                  "ItemReader":{"Resource":"arn:aws:states:::s3:listObjectsV2","Parameters":{"Bucket":"data","Prefix":"list/"}},
                  "ItemSelector":{"key.$":"$$.Map.Item.Value.Key"},
                  "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},
                    "StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}""");
        DescribeExecutionResponse d = awaitEnd(sfn.startExecution(b -> b.stateMachineArn(machine)).executionArn());
        assertThat(d.output()).isEqualTo("[{\"key\":\"list/a.txt\"},{\"key\":\"list/b.txt\"}]");
    }
}
