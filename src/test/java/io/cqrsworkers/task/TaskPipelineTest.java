package io.cqrsworkers.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.aws.AwsClients;
import io.cqrsworkers.config.AppConfiguration;
import io.cqrsworkers.testkit.EmbeddedAws;
import io.cqrsworkers.testkit.EmbeddedAwsClient;
import io.cqrsworkers.workflow.ExecutionNames;
import io.cqrsworkers.support.Http;
import io.cqrsworkers.workflow.StateMachines;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.sqs.model.Message;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The task pipeline end to end on the embedded AWS services, with the real routes: API, tasks stream, action
 * queue, task state machine, worker queue, sub-task status queue; the tasks stream is read by ddb-stream (KCL).
 */
@CamelMainTest(configurationClasses = AppConfiguration.class, properties = {"app.task.retry-delay-seconds=1",
        "app.task.handlers.mapped=direct:task-echo"})
@EmbeddedAws(routes = "classpath:test-routes/*.camel.yaml")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaskPipelineTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger IN_FLIGHT = new AtomicInteger();
    private static final AtomicInteger MAX_IN_FLIGHT = new AtomicInteger();

    /** The class's embedded AWS: its ports, data folder and clients. */
    EmbeddedAwsClient kit;

    @BeanInject
    CamelContext context;

    private final List<JsonNode> alarmsSeen = new ArrayList<>();

    @BeanInject
    AwsClients aws;

    @BeforeEach
    void batchHandler() throws Exception {
        if (context.hasEndpoint("direct:task-batch") != null) {
            return;
        }
        // the tasks stream consumer (ddb-stream, KCL) takes its leases some seconds after the start
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> Http.get(
                "http://127.0.0.1:" + kit.managementPort() + "/observe/health/ready").status() == 200);
        // alarms and notifications stay in their queues for the tests to read
        context.getRouteController().stopRoute("alarms");
        context.getRouteController().stopRoute("notifications");
        // counts the sub-tasks running at once; an item {"fail":true} throws
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:task-batch").routeId("test-task-batch").process(e -> {
                    int now = IN_FLIGHT.incrementAndGet();
                    MAX_IN_FLIGHT.accumulateAndGet(now, Math::max);
                    try {
                        Thread.sleep(15);
                        JsonNode input = JSON.readTree(e.getMessage().getBody(String.class));
                        if (input.path("fail").asBoolean()) {
                            throw new IllegalArgumentException("item " + input.path("n").asInt() + " is bad");
                        }
                        e.getMessage().setBody("{\"done\":" + input.path("n").asInt() + "}");
                    } finally {
                        IN_FLIGHT.decrementAndGet();
                    }
                });
            }
        });
    }

    private String api() {
        return "http://127.0.0.1:" + kit.serverPort() + "/api";
    }

    private JsonNode post(String path, Object body, int expectedStatus) throws Exception {
        Http.Response response = Http.post(api() + path, JSON.writeValueAsString(body));
        assertThat(response.status()).as(response.body()).isEqualTo(expectedStatus);
        return JSON.readTree(response.body());
    }

    private JsonNode task(JsonNode created) throws Exception {
        Http.Response response = Http.get(api() + "/tasks?pk=" + created.path("pk").asText().replace("#", "%23")
                + "&sk=" + created.path("sk").asText().replace("#", "%23"));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private JsonNode awaitStatus(JsonNode created, String status, Duration timeout) {
        return await().atMost(timeout).pollInterval(Duration.ofMillis(200))
                .until(() -> task(created), t -> status.equals(t.path("status").asText()));
    }

    private static ObjectNode request(String type, String tenant, JsonNode input) {
        ObjectNode request = JSON.createObjectNode().put("taskType", type).put("tenantCode", tenant);
        request.set("input", input);
        return request;
    }

    private static ArrayNode items(int count, int... failing) {
        ArrayNode items = JSON.createArrayNode();
        for (int i = 0; i < count; i++) {
            ObjectNode item = items.addObject().put("n", i);
            for (int f : failing) {
                if (f == i) {
                    item.put("fail", true);
                }
            }
        }
        return items;
    }

    @Test
    void aStepFunctionTaskOf100ItemsNeverRunsMoreThanTwoAtOnceAndCompletes() throws Exception {
        MAX_IN_FLIGHT.set(0);
        JsonNode created = post("/tasks/step-function", request("batch", "tenant1", items(100)), 201);
        assertThat(created.path("pk").asText()).isEqualTo("SFN_TASK#tenant1");
        assertThat(created.path("status").asText()).isEqualTo("CREATED");

        JsonNode done = awaitStatus(created, "COMPLETED", Duration.ofSeconds(90));
        JsonNode attributes = done.path("attributes");
        assertThat(attributes.path("subTaskCount").asInt()).isEqualTo(100);
        assertThat(attributes.path("subTaskSucceedCount").asInt()).isEqualTo(100);
        assertThat(attributes.path("subTaskFailedCount").asInt()).isZero();
        assertThat(attributes.path("subTaskRunningCount").asInt()).isZero();
        assertThat(done.path("subTaskRows")).hasSize(100);
        for (JsonNode row : done.path("subTaskRows")) {
            assertThat(row.path("status").asText()).isEqualTo("COMPLETED");
            assertThat(row.path("attributes").path("result").path("done").isInt()).isTrue();
        }
        assertThat(MAX_IN_FLIGHT.get()).as("max sub-tasks running at once").isEqualTo(2);
        assertThat(notifications(created.path("sk").asText()))
                .anyMatch(n -> n.path("action").asText().equals("task-status")
                        && n.path("content").path("status").asText().equals("COMPLETED"))
                .anyMatch(n -> n.path("action").asText().equals("sub-task-status"));
    }

    @Test
    void threeFailingItemsEndTheParentFailedWithTheRightCounts() throws Exception {
        JsonNode created = post("/tasks/step-function", request("batch", "tenant2", items(6, 1, 3, 4)), 201);
        String parentSk = created.path("sk").asText();

        JsonNode done = awaitStatus(created, "FAILED", Duration.ofSeconds(60));
        JsonNode attributes = done.path("attributes");
        assertThat(attributes.path("subTaskCount").asInt()).isEqualTo(6);
        assertThat(attributes.path("subTaskSucceedCount").asInt()).isEqualTo(3);
        assertThat(attributes.path("subTaskFailedCount").asInt()).isEqualTo(3);
        assertThat(attributes.path("subTaskRunningCount").asInt()).isZero();
        // scenario 14: rows parentSk#0..5 with the items as input; scenario 16: failures recorded, the Map went on
        List<String> statuses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            JsonNode row = done.path("subTaskRows").get(i);
            assertThat(row.path("sk").asText()).isEqualTo(parentSk + "#" + i);
            assertThat(row.path("input").path("n").asInt()).isEqualTo(i);
            statuses.add(row.path("status").asText());
        }
        assertThat(statuses).containsExactly("COMPLETED", "FAILED", "COMPLETED", "FAILED", "FAILED", "COMPLETED");
        assertThat(done.path("subTaskRows").get(1).path("attributes").path("error").asText())
                .contains("item 1 is bad");
        assertThat(attributes.path("subTasks")).hasSize(6);
        assertThat(alarms(parentSk)).extracting(a -> a.path("sk").asText())
                .contains(parentSk + "#1", parentSk + "#3", parentSk + "#4");

        // one execution, named after the task, whose input is the list of sub-task keys
        String arn = context.getRegistry().lookupByNameAndType(StateMachines.BEAN, StateMachines.class)
                .arn(TaskRunner.MACHINE).replace(":stateMachine:", ":execution:") + ":"
                + ExecutionNames.of(created.path("pk").asText(), parentSk);
        var execution = aws.sfn().describeExecution(b -> b.executionArn(arn));
        assertThat(execution.statusAsString()).isEqualTo("SUCCEEDED");
        JsonNode input = JSON.readTree(execution.input());
        assertThat(input).hasSize(6);
        assertThat(input.get(5).path("sk").asText()).isEqualTo(parentSk + "#5");
    }

    @Test
    void aPlainTaskRunsItsHandlerByTaskType() throws Exception {
        JsonNode created = post("/tasks", request("echo", "tenant3", JSON.createObjectNode().put("x", 1)), 201);
        assertThat(created.path("pk").asText()).isEqualTo("TASK#tenant3");
        JsonNode done = awaitStatus(created, "COMPLETED", Duration.ofSeconds(30));
        assertThat(done.path("attributes").path("result").path("echo").path("x").asInt()).isEqualTo(1);
        assertThat(done.path("attributes").path("result").path("tenant").asText()).isEqualTo("tenant3");
    }

    @Test
    void aTaskTypeCanBeMappedToAnyEndpointInConfiguration() throws Exception {
        JsonNode created = post("/tasks", request("mapped", "tenant5", JSON.createObjectNode().put("y", 2)), 201);
        JsonNode done = awaitStatus(created, "COMPLETED", Duration.ofSeconds(30));
        assertThat(done.path("attributes").path("result").path("echo").path("y").asInt()).isEqualTo(2);
    }

    @Test
    void aFailingPlainTaskIsFailedRetriedAndEndsInTheDeadLetterQueue() throws Exception {
        JsonNode created = post("/tasks", request("always-fails", "tenant4", JSON.createObjectNode()), 201);
        String dlq = aws.sqs().getQueueUrl(b -> b.queueName(prefix() + "task-action-queue-dlq")).queueUrl();
        Message dead = await().atMost(Duration.ofSeconds(40)).until(() -> aws.sqs().receiveMessage(b -> b
                        .queueUrl(dlq).waitTimeSeconds(1).maxNumberOfMessages(10)).messages().stream()
                .filter(m -> m.body().contains(created.path("sk").asText())).findFirst(), java.util.Optional::isPresent)
                .get();
        assertThat(JSON.readTree(dead.body()).path("action").asText()).isEqualTo("task-execute");
        JsonNode failed = task(created);
        assertThat(failed.path("status").asText()).isEqualTo("FAILED");
        assertThat(failed.path("attributes").path("error").asText()).contains("this task always fails");
        assertThat(alarms(created.path("sk").asText())).hasSizeGreaterThanOrEqualTo(2)
                .allMatch(a -> a.path("content").path("errorMessage").asText().contains("this task always fails"));
    }

    @Test
    void aTaskActionThatIsNotATaskMessageEndsInTheDeadLetterQueue() throws Exception {
        String queue = aws.sqs().getQueueUrl(b -> b.queueName(prefix() + "task-action-queue")).queueUrl();
        String dlq = aws.sqs().getQueueUrl(b -> b.queueName(prefix() + "task-action-queue-dlq")).queueUrl();
        String body = "not a task message " + System.nanoTime();
        aws.sqs().sendMessage(b -> b.queueUrl(queue).messageBody(body));
        await().atMost(Duration.ofSeconds(40)).until(() -> aws.sqs().receiveMessage(b -> b.queueUrl(dlq)
                .waitTimeSeconds(1).maxNumberOfMessages(10)).messages().stream().anyMatch(m -> m.body().equals(body)));
    }

    @Test
    void theRollUpCountsSiblingsAndFailsTheParentWhenAllFinishedAndOneFailed() throws Exception {
        TaskService service = context.getRegistry().lookupByNameAndType(TaskService.BEAN, TaskService.class);
        TaskKeys parent = new TaskKeys("SFN_TASK#rollup", "batch#" + System.nanoTime());
        service.store().put(JSON.createObjectNode().put("pk", parent.pk()).put("sk", parent.sk())
                .put("status", "PROCESSING").set("attributes", JSON.createObjectNode()));
        String[] statuses = {"COMPLETED", "FAILED", "PROCESSING"};
        for (int i = 0; i < 3; i++) {
            service.store().put(JSON.createObjectNode().put("pk", parent.pk()).put("sk", parent.subTask(i).sk())
                    .put("status", statuses[i]).set("attributes", JSON.createObjectNode()));
        }
        new RollUp(service).request(parent.subTask(0));
        JsonNode rolled = service.store().get(parent).orElseThrow();
        assertThat(rolled.path("status").asText()).isEqualTo("PROCESSING");
        assertThat(rolled.path("attributes").path("subTaskCount").asInt()).isEqualTo(3);
        assertThat(rolled.path("attributes").path("subTaskSucceedCount").asInt()).isEqualTo(1);
        assertThat(rolled.path("attributes").path("subTaskFailedCount").asInt()).isEqualTo(1);
        assertThat(rolled.path("attributes").path("subTaskRunningCount").asInt()).isEqualTo(1);

        service.store().setStatus(parent.subTask(2), TaskStatus.COMPLETED, JSON.createObjectNode());
        new RollUp(service).request(parent.subTask(2));
        assertThat(service.store().get(parent).orElseThrow().path("status").asText()).isEqualTo("FAILED");
    }

    @Test
    void subTasksFinishingAtTheSameMomentLoseNoUpdate() throws Exception {
        TaskService service = context.getRegistry().lookupByNameAndType(TaskService.BEAN, TaskService.class);
        TaskKeys parent = new TaskKeys("SFN_TASK#race", "batch#" + System.nanoTime());
        int n = 24;
        service.store().put(JSON.createObjectNode().put("pk", parent.pk()).put("sk", parent.sk())
                .put("status", "PROCESSING").set("attributes", JSON.createObjectNode()));
        for (int i = 0; i < n; i++) {
            service.store().put(JSON.createObjectNode().put("pk", parent.pk()).put("sk", parent.subTask(i).sk())
                    .put("status", "PROCESSING").set("attributes", JSON.createObjectNode()));
        }
        // one RollUp per thread: no in-process sharing, as on separate replicas; only the conditional write orders them
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                TaskKeys subTask = parent.subTask(i);
                done.add(pool.submit(() -> {
                    service.store().setStatus(subTask, TaskStatus.COMPLETED, JSON.createObjectNode());
                    new RollUp(service).request(subTask);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        JsonNode rolled = service.store().get(parent).orElseThrow();
        assertThat(rolled.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(rolled.path("attributes").path("subTaskSucceedCount").asInt()).isEqualTo(n);
        assertThat(rolled.path("attributes").path("subTaskRunningCount").asInt()).isZero();
    }

    @Test
    void theTaskMachineTakesItsLimitsFromConfiguration() throws Exception {
        String arn = context.getRegistry().lookupByNameAndType(StateMachines.BEAN, StateMachines.class)
                .arn(TaskRunner.MACHINE);
        JsonNode definition = JSON.readTree(aws.sfn().describeStateMachine(b -> b.stateMachineArn(arn)).definition());
        assertThat(definition.path("TimeoutSeconds").isInt()).isTrue();
        assertThat(definition.path("TimeoutSeconds").asInt()).isEqualTo(900);
        JsonNode map = definition.path("States").path("map_state");
        assertThat(map.path("MaxConcurrency").asInt()).isEqualTo(2);
        assertThat(map.path("ItemProcessor").path("States").path("iterator").path("Parameters").path("QueueUrl")
                .asText()).endsWith("/" + prefix() + "task-worker-queue");
    }

    @Test
    void ulidsAreUniqueAndSortByTime() {
        assertThat(Ulid.of(0, 0, 0)).isEqualTo("00000000000000000000000000");
        assertThat(Ulid.of(1, 0, 0)).isEqualTo("00000000010000000000000000");
        assertThat(Ulid.of(0, -1L, 0xFFFF)).isEqualTo("0000000000ZZZZZZZZZZZZZZZZ");
        assertThat(Ulid.of(1000, 0, 0)).isLessThan(Ulid.of(1001, 0, 0));
        assertThat(Ulid.next()).hasSize(26).isNotEqualTo(Ulid.next());
    }

    @Test
    void theApiRefusesInvalidRequests() throws Exception {
        assertThat(post("/tasks/step-function", request("batch", "t", JSON.createObjectNode()), 400)
                .path("message").asText()).contains("array");
        assertThat(post("/tasks", JSON.createObjectNode().put("tenantCode", "t"), 400).path("message").asText())
                .contains("taskType");
        assertThat(Http.get(api() + "/tasks?pk=TASK%23t&sk=none%23x").status()).isEqualTo(404);
    }

    private String prefix() {
        return context.resolvePropertyPlaceholders("{{app.prefix}}");
    }

    /** Alarms about this task and its sub-tasks: the queue is drained into {@link #alarmsSeen}. */
    private List<JsonNode> alarms(String sk) throws Exception {
        String url = aws.sqs().getQueueUrl(b -> b.queueName(prefix() + "alarm-queue")).queueUrl();
        for (int i = 0; i < 50; i++) {
            List<Message> batch = aws.sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                    .waitTimeSeconds(1)).messages();
            if (batch.isEmpty()) {
                break;
            }
            for (Message m : batch) {
                alarmsSeen.add(JSON.readTree(m.body()));
                aws.sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
            }
        }
        List<JsonNode> found = alarmsSeen.stream().filter(a -> a.path("sk").asText().startsWith(sk)).toList();
        assertThat(found).allMatch(a -> a.path("action").asText().equals("sfn-alarm"));
        return found;
    }

    /** Notifications about this task and its sub-tasks (the queue is drained). */
    private List<JsonNode> notifications(String sk) throws Exception {
        String url = aws.sqs().getQueueUrl(b -> b.queueName(prefix() + "notification-queue")).queueUrl();
        List<JsonNode> found = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            List<Message> batch = aws.sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                    .visibilityTimeout(30)).messages();
            if (batch.isEmpty()) {
                break;
            }
            for (Message m : batch) {
                JsonNode n = JSON.readTree(m.body());
                if (n.path("sk").asText().startsWith(sk)) {
                    found.add(n);
                }
                aws.sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
            }
        }
        return found;
    }
}
