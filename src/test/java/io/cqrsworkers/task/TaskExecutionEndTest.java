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
import io.cqrsworkers.workflow.StartExecution;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.sqs.model.Message;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every way a step-function task's execution can end leaves the task finished: the machine's timeout and a
 * StopExecution (seen by the watcher) and an error of the Map (caught by the machine) end it FAILED with the
 * execution's status, error and cause, and an alarm; its unfinished sub-tasks end FAILED with the reason. The machine times out after 4 s here; the watcher runs every
 * second.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class,
        properties = {"app.task.timeout-seconds=4", "app.workflow.watch-interval-seconds=1"})
@EmbeddedAws(routes = "classpath:test-routes/*.camel.yaml")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaskExecutionEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The handler of task type "hang" answers long after the machine's 4 s timeout. */
    private static final long HANG_MILLIS = 10_000;

    /** The class's embedded AWS: its ports, data folder and clients. */
    EmbeddedAwsClient kit;

    @BeanInject
    CamelContext context;

    @BeanInject
    AwsClients aws;

    private final List<JsonNode> alarmsSeen = new ArrayList<>();

    /** Once: the context starts before the first test (not before @BeforeAll). */
    @BeforeEach
    void start() throws Exception {
        if (context.hasEndpoint("direct:task-hang") != null) {
            return;
        }
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> Http.get(
                "http://127.0.0.1:" + kit.managementPort() + "/observe/health/ready").status() == 200);
        context.getRouteController().stopRoute("alarms");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:task-hang").routeId("test-task-hang")
                        .process(e -> Thread.sleep(HANG_MILLIS));
            }
        });
    }

    private TaskService service() {
        return context.getRegistry().lookupByNameAndType(TaskService.BEAN, TaskService.class);
    }

    private JsonNode createHangingTask(String tenant) throws Exception {
        ObjectNode request = JSON.createObjectNode().put("taskType", "hang").put("tenantCode", tenant);
        request.putArray("input").addObject().put("n", 0);
        Http.Response response = Http.post("http://127.0.0.1:" + kit.serverPort()
                + "/api/tasks/step-function", JSON.writeValueAsString(request));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body());
    }

    private JsonNode awaitTask(TaskKeys key, String status) {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> service().store().get(key).orElseThrow(),
                        t -> status.equals(t.path("status").asText()));
    }

    private static TaskKeys key(JsonNode task) {
        return new TaskKeys(task.path("pk").asText(), task.path("sk").asText());
    }

    @Test
    void aTaskWhoseExecutionTimesOutEndsFailedWithAnAlarm() throws Exception {
        TaskKeys key = key(createHangingTask("timeout"));
        JsonNode failed = awaitTask(key, "FAILED");
        JsonNode attributes = failed.path("attributes");
        assertThat(attributes.path("executionStatus").asText()).isEqualTo("TIMED_OUT");
        assertThat(attributes.path("error").asText()).isEqualTo("States.Timeout");
        assertThat(attributes.path("cause").asText()).contains("timed out");
        String executionArn = attributes.path("executionArn").asText();
        assertThat(executionArn).endsWith(":" + ExecutionNames.of(key.pk(), key.sk()));
        assertThat(aws.sfn().describeExecution(b -> b.executionArn(executionArn)).statusAsString())
                .isEqualTo("TIMED_OUT");
        assertThat(alarms(key)).singleElement().satisfies(a -> {
            assertThat(a.path("content").path("errorMessage").asText()).contains("TIMED_OUT", "States.Timeout");
        });
        assertThat(awaitTask(key.subTask(0), "FAILED").at("/attributes/error").asText())
                .startsWith("Execution TIMED_OUT: States.Timeout");
        await().atMost(Duration.ofSeconds(5)).until(() -> context.getRegistry().lookupByNameAndType(io.cqrsworkers.workflow.ExecutionWatch.BEAN, io.cqrsworkers.workflow.ExecutionWatch.class).watched().stream()
                .noneMatch(w -> w.path("parentSk").asText().equals(key.sk())));
    }

    @Test
    void aStoppedExecutionEndsItsTaskFailed() throws Exception {
        TaskKeys key = key(createHangingTask("abort"));
        String executionArn = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> service().store().get(key).orElseThrow().path("attributes")
                        .path("executionArn").asText(""), arn -> !arn.isEmpty());
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
                .until(() -> aws.sfn().describeExecution(b -> b.executionArn(executionArn)).statusAsString(),
                        "RUNNING"::equals);
        TaskKeys subTask = key.subTask(0);
        awaitTask(subTask, "PROCESSING");
        // the sub-task's step (its handler hangs 10 s) ends after the stop
        NotifyBuilder handlerReturned = new NotifyBuilder(context).fromRoute("worker-task-worker-queue")
                .filter(e -> e.getMessage().getBody(String.class).contains(subTask.sk())).whenDone(1).create();
        aws.sfn().stopExecution(b -> b.executionArn(executionArn).error("Operator.Stop").cause("stopped by hand"));

        JsonNode attributes = awaitTask(key, "FAILED").path("attributes");
        assertThat(attributes.path("executionStatus").asText()).isEqualTo("ABORTED");
        assertThat(attributes.path("error").asText()).isEqualTo("Operator.Stop");
        assertThat(attributes.path("cause").asText()).isEqualTo("stopped by hand");
        assertThat(alarms(key)).hasSize(1);

        // the running sub-task will not be answered any more: it is FAILED with the reason, and the roll-up counts it
        JsonNode failedSubTask = awaitTask(subTask, "FAILED");
        assertThat(failedSubTask.at("/attributes/error").asText())
                .isEqualTo("Execution ABORTED: Operator.Stop: stopped by hand");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> service()
                .store().get(key).orElseThrow().at("/attributes/subTaskFailedCount").asInt() == 1);
        // its handler's late result does not turn it COMPLETED
        assertThat(handlerReturned.matches(20, TimeUnit.SECONDS)).isTrue();
        JsonNode after = service().store().get(subTask).orElseThrow();
        assertThat(after.path("status").asText()).isEqualTo("FAILED");
        assertThat(after.at("/attributes/result").isMissingNode()).isTrue();
        assertThat(service().store().get(key).orElseThrow().path("status").asText()).isEqualTo("FAILED");
    }

    @Test
    void anErrorOfTheMapIsCaughtAndFailsTheTaskAndTheExecution() throws Exception {
        // a parent whose sub-task row is missing: the iterator step fails, which fails the Map
        TaskKeys parent = new TaskKeys("SFN_TASK#caught", "batch#" + System.nanoTime());
        service().store().put(JSON.createObjectNode().put("pk", parent.pk()).put("sk", parent.sk())
                .put("status", "PROCESSING").set("attributes", JSON.createObjectNode()));
        ArrayNode input = JSON.createArrayNode();
        input.addObject().put("pk", parent.pk()).put("sk", parent.subTask(0).sk());
        String name = ExecutionNames.of(parent.pk(), parent.sk());
        String executionArn = context.createProducerTemplate().requestBodyAndHeaders(StartExecution.URI,
                input.toString(), Map.of(StartExecution.MACHINE, TaskRunner.MACHINE, StartExecution.NAME, name),
                String.class);

        JsonNode attributes = awaitTask(parent, "FAILED").path("attributes");
        assertThat(attributes.path("executionStatus").asText()).isEqualTo("FAILED");
        assertThat(attributes.path("error").asText()).isEqualTo("IllegalStateException");
        assertThat(attributes.path("cause").asText()).contains("No sub-task");
        var execution = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> aws.sfn().describeExecution(b -> b.executionArn(executionArn)),
                        e -> !"RUNNING".equals(e.statusAsString()));
        assertThat(execution.statusAsString()).isEqualTo("FAILED");
        assertThat(execution.error()).isEqualTo("IllegalStateException");
        assertThat(alarms(parent)).hasSize(1);
    }

    @Test
    void aLateRollUpKeepsAFailedExecutionsTaskFailed() throws Exception {
        TaskService service = service();
        TaskKeys parent = new TaskKeys("SFN_TASK#late", "batch#" + System.nanoTime());
        service.store().put(JSON.createObjectNode().put("pk", parent.pk()).put("sk", parent.sk())
                .put("status", "PROCESSING").set("attributes", JSON.createObjectNode()));
        service.store().put(JSON.createObjectNode().put("pk", parent.pk()).put("sk", parent.subTask(0).sk())
                .put("status", "COMPLETED").set("attributes", JSON.createObjectNode()));
        assertThat(service.store().failExecution(parent, JSON.createObjectNode().put("executionStatus", "TIMED_OUT")
                .put("error", "States.Timeout"))).isTrue();
        assertThat(service.store().failExecution(parent, JSON.createObjectNode().put("executionStatus", "TIMED_OUT")))
                .as("only once").isFalse();

        new RollUp(service).request(parent.subTask(0));
        JsonNode rolled = service.store().get(parent).orElseThrow();
        assertThat(rolled.path("status").asText()).isEqualTo("FAILED");
        assertThat(rolled.path("attributes").path("subTaskSucceedCount").asInt()).isEqualTo(1);
        assertThat(rolled.path("attributes").path("error").asText()).isEqualTo("States.Timeout");
    }

    /** Alarms about this task (the alarm queue is drained into {@link #alarmsSeen}). */
    private List<JsonNode> alarms(TaskKeys task) throws Exception {
        String url = aws.sqs().getQueueUrl(b -> b.queueName(
                context.resolvePropertyPlaceholders("{{app.prefix}}") + "alarm-queue")).queueUrl();
        List<Message> batch;
        do {
            batch = aws.sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1))
                    .messages();
            for (Message m : batch) {
                alarmsSeen.add(JSON.readTree(m.body()));
                aws.sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
            }
        } while (!batch.isEmpty());
        return alarmsSeen.stream().filter(a -> a.path("sk").asText().equals(task.sk())).toList();
    }
}
