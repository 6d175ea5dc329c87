package io.cqrsworkers.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.aws.AwsClients;
import io.cqrsworkers.aws.DynamoJson;
import io.cqrsworkers.json.Jackson;
import io.cqrsworkers.workflow.ExecutionNames;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.awaitility.core.ConditionTimeoutException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/**
 * What a test of the service needs, through its public HTTP API and the AWS SDK against the embedded endpoints:
 * publish a command, create a task, start a CSV import, and wait for each to finish; wait for an execution and read
 * its history; read a DynamoDB item, an S3 object or a queue's messages. Every wait polls with a timeout
 * ({@link #timeout(Duration)}, 60 s by default) and fails with what it waited for and what it saw last.
 * <p>
 * Obtain it as a field or parameter of an {@link EmbeddedAws} test. It uses the test's Camel context (for the SDK
 * clients and the resource prefix) once that context exists, i.e. from {@code @BeforeEach} and test methods on.
 */
public final class EmbeddedAwsClient {

    /** A command's last status when it went through: {@code finish:FINISHED}. */
    public static final String COMMAND_FINISHED = "finish:FINISHED";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String ALARMS_ROUTE = "alarms";
    /** The final statuses of a task and of an import job. */
    private static final List<String> ENDS = List.of("COMPLETED", "FAILED");

    private final KitSession session;
    private Duration timeout = Duration.ofSeconds(60);
    private CamelContext ready;
    private final List<String> alarms = new CopyOnWriteArrayList<>();

    EmbeddedAwsClient(KitSession session) {
        this.session = session;
    }

    /** How long the waits of this client wait (60 s unless changed). */
    public EmbeddedAwsClient timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    // ---- the service -----------------------------------------------------------------------------------------

    public CamelContext context() {
        return session.context();
    }

    /** The base URL of the business API, e.g. {@code http://127.0.0.1:41234}. */
    public String apiUrl() {
        return "http://127.0.0.1:" + session.serverPort();
    }

    public int serverPort() {
        return session.serverPort();
    }

    public int managementPort() {
        return session.managementPort();
    }

    /** The base URL of the management port ({@code /observe/health}, {@code /observe/metrics}). */
    public String managementUrl() {
        return "http://127.0.0.1:" + session.managementPort();
    }

    /** This class's data folder (queues, tables, executions, objects of the embedded services). */
    public Path dataDir() {
        return session.dataDir();
    }

    /** The SDK clients of the service, pointed at the embedded endpoints. */
    public AwsClients aws() {
        return context().getRegistry().lookupByNameAndType("awsClients", AwsClients.class);
    }

    /** The physical name of a resource: the environment prefix + its logical name. */
    public String name(String logicalName) {
        return context().resolvePropertyPlaceholders("{{app.prefix}}") + logicalName;
    }

    /**
     * Waits until {@code /observe/health/ready} answers 200: every route started and every stream consumer holding
     * its leases (KCL takes some seconds after the start). The helpers below call it before their first request.
     */
    public EmbeddedAwsClient awaitReady() {
        CamelContext current = context();
        if (ready != current) {
            // the stream consumers take their leases 1-30 s after the start (KCL waits at random)
            awaitValue("the service to be ready (" + managementUrl() + "/observe/health/ready)",
                    Duration.ofSeconds(Math.max(90, timeout.toSeconds())),
                    () -> get(managementUrl() + "/observe/health/ready"), r -> r.status() == 200);
            alarms.clear();
            current.getManagementStrategy().addEventNotifier(new AlarmCollector());
            ready = current;
        }
        return this;
    }

    /** A plain HTTP answer. */
    public record Response(int status, String body) {
        public JsonNode json() {
            try {
                return Jackson.MAPPER.readTree(body);
            } catch (JsonProcessingException e) {
                throw new AssertionError("not JSON (HTTP " + status + "): " + body, e);
            }
        }
    }

    public Response get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    public Response post(String url, Object json) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(text(json))));
    }

    // ---- commands --------------------------------------------------------------------------------------------

    /**
     * Publishes a command ({@code POST /api/commands/{module}}): the item with pk, sk, code, name, tenantCode, type,
     * version and attributes (a Map, a Jackson node or JSON text). Fails unless the API accepted it (201, or 200 for
     * an unchanged item); returns the stored command, whose {@code version} is the one it got.
     */
    public JsonNode publishCommand(String module, Object item) {
        awaitReady();
        Response response = post(apiUrl() + "/api/commands/" + module, item);
        if (response.status() != 201 && response.status() != 200) {
            throw new AssertionError("POST /api/commands/" + module + " answered " + response.status() + ": "
                    + response.body());
        }
        return response.json();
    }

    /** The latest command of pk/sk ({@code sk@N}: that version), with its {@code status}; empty when none. */
    public Optional<JsonNode> command(String module, String pk, String sk) {
        Response response = get(apiUrl() + "/api/commands/" + module + "?pk=" + encode(pk) + "&sk=" + encode(sk));
        return response.status() == 404 ? Optional.empty() : Optional.of(ok(response).json());
    }

    /**
     * Waits until the command (pk, sk and the version {@link #publishCommand} returned) has ended: status
     * {@link #COMMAND_FINISHED} or {@code <step>:FAILED}. Returns it; the caller asserts which.
     */
    public JsonNode awaitCommand(String module, JsonNode published) {
        String sk = versionedSk(published);
        return awaitValue("command " + module + " " + published.path("pk").asText() + " " + sk
                        + " to end (finish:FINISHED or <step>:FAILED)", timeout,
                () -> command(module, published.path("pk").asText(), sk).orElse(null),
                c -> (COMMAND_FINISHED.equals(c.path("status").asText())
                        || c.path("status").asText().endsWith(":FAILED")));
    }

    /** The read-model record of pk/sk ({@code GET /api/data/{module}}); empty when none. */
    public Optional<JsonNode> data(String module, String pk, String sk) {
        Response response = get(apiUrl() + "/api/data/" + module + "?pk=" + encode(pk) + "&sk=" + encode(sk));
        return response.status() == 404 ? Optional.empty() : Optional.of(ok(response).json());
    }

    /** The ARN of a command's execution of the {@code command-handler} machine (its name is deterministic). */
    public String commandExecutionArn(String module, JsonNode published) {
        String name = ExecutionNames.of(module, published.path("pk").asText(), versionedSk(published));
        return executionArn("command-handler", name);
    }

    /** The command table's sk of a published version: {@code <sk>@<version>} (the API answers it so). */
    private static String versionedSk(JsonNode published) {
        String sk = published.path("sk").asText();
        return sk.contains("@") ? sk : sk + "@" + published.path("version").asLong();
    }

    // ---- tasks -----------------------------------------------------------------------------------------------

    /** Creates a plain task ({@code POST /api/tasks}); its handler is {@code direct:task-<taskType>}. */
    public JsonNode createTask(String taskType, String tenantCode, Object input) {
        return createTask("/api/tasks", taskType, tenantCode, input);
    }

    /** Creates a step-function task ({@code POST /api/tasks/step-function}): one sub-task per item of input. */
    public JsonNode createStepFunctionTask(String taskType, String tenantCode, List<?> input) {
        return createTask("/api/tasks/step-function", taskType, tenantCode, input);
    }

    private JsonNode createTask(String path, String taskType, String tenantCode, Object input) {
        awaitReady();
        ObjectNode request = Jackson.MAPPER.createObjectNode().put("taskType", taskType).put("tenantCode", tenantCode);
        request.set("input", Jackson.MAPPER.valueToTree(input));
        Response response = post(apiUrl() + path, request);
        if (response.status() / 100 != 2) {
            throw new AssertionError("POST " + path + " answered " + response.status() + ": " + response.body());
        }
        return response.json();
    }

    /** The task (or sub-task) pk/sk ({@code GET /api/tasks}); empty when none. */
    public Optional<JsonNode> task(String pk, String sk) {
        Response response = get(apiUrl() + "/api/tasks?pk=" + encode(pk) + "&sk=" + encode(sk));
        return response.status() == 404 ? Optional.empty() : Optional.of(ok(response).json());
    }

    /** Waits until the task {@link #createTask} returned is COMPLETED or FAILED, and returns it. */
    public JsonNode awaitTask(JsonNode created) {
        String pk = created.path("pk").asText();
        String sk = created.path("sk").asText();
        return awaitValue("task " + pk + " " + sk + " to be COMPLETED or FAILED", timeout,
                () -> task(pk, sk).orElse(null), t -> ENDS.contains(t.path("status").asText()));
    }

    // ---- imports ---------------------------------------------------------------------------------------------

    /**
     * Starts a CSV import as a client would: the file into the service's bucket, then {@code POST
     * /api/imports/csv} with bucket, key, tableName, tenantCode and processingMode (DIRECT or STEP_FUNCTION).
     * Returns the job; its {@code id} is what {@link #awaitImport} takes.
     */
    public JsonNode startCsvImport(String tableName, String tenantCode, String csv, String processingMode) {
        awaitReady();
        String bucket = name("bucket");
        String key = "testkit/" + tableName + "/" + UUID.randomUUID() + ".csv";
        aws().s3().putObject(b -> b.bucket(bucket).key(key).contentType("text/csv"), RequestBody.fromString(csv));
        ObjectNode request = Jackson.MAPPER.createObjectNode().put("bucket", bucket).put("key", key)
                .put("tableName", tableName).put("tenantCode", tenantCode).put("processingMode", processingMode);
        Response response = post(apiUrl() + "/api/imports/csv", request);
        if (response.status() != 202) {
            throw new AssertionError("POST /api/imports/csv answered " + response.status() + ": " + response.body());
        }
        return response.json();
    }

    /** The import job by id ({@code GET /api/imports?id=}); empty when none. */
    public Optional<JsonNode> importJob(String id) {
        Response response = get(apiUrl() + "/api/imports?id=" + encode(id));
        return response.status() == 404 ? Optional.empty() : Optional.of(ok(response).json());
    }

    /** Waits until the job {@link #startCsvImport} returned is COMPLETED or FAILED, and returns it. */
    public JsonNode awaitImport(JsonNode started) {
        String id = started.path("id").asText();
        return awaitValue("import " + id + " to be COMPLETED or FAILED", timeout, () -> importJob(id).orElse(null),
                j -> ENDS.contains(j.path("status").asText()));
    }

    // ---- executions ------------------------------------------------------------------------------------------

    /** The ARN of an execution of a state machine (logical name, e.g. {@code command-handler}) by its name. */
    public String executionArn(String machine, String executionName) {
        String machineArn = aws().sfn().listStateMachines().stateMachines().stream()
                .filter(m -> m.name().equals(name(machine))).findFirst()
                .orElseThrow(() -> new AssertionError("no state machine " + name(machine))).stateMachineArn();
        return machineArn.replace(":stateMachine:", ":execution:") + ":" + executionName;
    }

    /** Waits until the execution has ended (any status but RUNNING), and describes it. */
    public DescribeExecutionResponse awaitExecution(String executionArn) {
        return awaitValue("execution " + executionArn + " to end", timeout,
                () -> aws().sfn().describeExecution(b -> b.executionArn(executionArn)),
                d -> d.status() != ExecutionStatus.RUNNING);
    }

    /** The execution's event history, oldest first (GetExecutionHistory, every page). */
    public List<HistoryEvent> history(String executionArn) {
        List<HistoryEvent> events = new ArrayList<>();
        aws().sfn().getExecutionHistoryPaginator(b -> b.executionArn(executionArn).includeExecutionData(true))
                .forEach(page -> events.addAll(page.events()));
        return events;
    }

    // ---- data ------------------------------------------------------------------------------------------------

    /** A DynamoDB item (strongly consistent) as plain JSON; table is the logical name, e.g. {@code sample-data}. */
    public Optional<JsonNode> item(String table, String pk, String sk) {
        Map<String, AttributeValue> item = aws().dynamoDb().getItem(b -> b.tableName(name(table)).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(DynamoJson.fromItem(item));
    }

    /** Waits for an object of the service's bucket and returns its content as text. */
    public String awaitObject(String key) {
        String bucket = name("bucket");
        return awaitValue("object s3://" + bucket + "/" + key, timeout,
                () -> aws().s3().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String(), content -> true);
    }

    /**
     * Receives (and deletes) messages of a queue (logical name) until one matches, and returns it. Only for queues
     * no route consumes, or whose route is stopped: a consuming route would take the messages first. For the
     * alarm queue, which {@code routes/alarms.camel.yaml} consumes, use {@link #awaitAlarm}.
     */
    public Message awaitMessage(String queue, Predicate<Message> match) {
        String url = aws().sqs().getQueueUrl(b -> b.queueName(name(queue))).queueUrl();
        AtomicReference<Message> found = new AtomicReference<>();
        awaitValue("a matching message on " + name(queue), timeout, () -> {
            for (Message m : aws().sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                    .waitTimeSeconds(1)).messages()) {
                aws().sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
                if (found.get() == null && match.test(m)) {
                    found.set(m);
                }
            }
            return found.get();
        }, m -> true);
        return found.get();
    }

    /**
     * Waits for an alarm that contains the fragment (e.g. a task's sk) to pass the {@code alarms} route, which
     * consumes the alarm queue and logs each alarm; returns the alarm (JSON text). Alarms are collected from the
     * first request of this client on.
     */
    public String awaitAlarm(String fragment) {
        awaitReady();
        return awaitValue("an alarm containing " + fragment + " (alarms seen: " + alarms + ")", timeout,
                () -> alarms.stream().filter(a -> a.contains(fragment)).findFirst().orElse(null), a -> true);
    }

    // ---- plumbing --------------------------------------------------------------------------------------------

    /** Polls read until done accepts its value; an exception while reading counts as "not yet" and is shown. */
    private <T> T awaitValue(String what, Duration atMost, java.util.concurrent.Callable<T> read, Predicate<T> done) {
        AtomicReference<Object> last = new AtomicReference<>();
        try {
            return await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> {
                try {
                    T value = read.call();
                    last.set(value);
                    return value;
                } catch (RuntimeException e) {
                    last.set(e);
                    return null;
                }
            }, value -> value != null && done.test(value));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("Waited " + atMost.toSeconds() + " s for " + what + "; last seen: "
                    + last.get(), e);
        }
    }

    /** Keeps the body of every exchange the alarms route completes: the alarm message, which it only logs. */
    private final class AlarmCollector extends EventNotifierSupport {
        @Override
        public void notify(CamelEvent event) {
            if (event instanceof CamelEvent.ExchangeCompletedEvent done
                    && ALARMS_ROUTE.equals(done.getExchange().getFromRouteId())) {
                alarms.add(done.getExchange().getMessage().getBody(String.class));
            }
        }
    }

    private static Response ok(Response response) {
        if (response.status() != 200) {
            throw new AssertionError("HTTP " + response.status() + ": " + response.body());
        }
        return response;
    }

    private static Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String text(Object json) {
        if (json instanceof String s) {
            return s;
        }
        try {
            return Jackson.MAPPER.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write as JSON: " + json, e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
