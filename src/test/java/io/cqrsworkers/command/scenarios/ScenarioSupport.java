package io.cqrsworkers.command.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.aws.AwsClients;
import io.cqrsworkers.aws.DynamoJson;
import io.cqrsworkers.callback.SfnTaskHeaders;
import io.cqrsworkers.json.Jackson;
import io.cqrsworkers.support.Http;
import io.cqrsworkers.testkit.EmbeddedAws;
import io.cqrsworkers.testkit.EmbeddedAwsClient;
import io.cqrsworkers.workflow.StepEvent;
import io.cqrsworkers.workflow.StepHeaders;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/**
 * The reference step scenarios against the embedded AWS, one service per test class. A scenario calls one step
 * route, {@code direct:command-handler.<state>}, with the {@link StepEvent} the worker dispatcher would build from
 * the state machine's message, and then looks at what the step left: its reply, the command row in DynamoDB, and
 * the messages on the notification and alarm queues (read here directly, their consumer routes stopped, so that
 * nothing else takes them).
 * <p>
 * Rows a scenario writes into the command table are marked {@code syncMode: SYNC}, the documented mark that keeps
 * the stream route from starting a workflow for them; the execution input's NewImage (what the steps read) has no
 * such mark, as a real INSERT that started a workflow has none.
 */
@EmbeddedAws(routes = "classpath:test-routes/*.camel.yaml")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ScenarioSupport {

    protected static final String MODULE = "sample";

    /** The class's embedded AWS: its ports, data folder and clients. */
    EmbeddedAwsClient kit;

    @BeanInject
    CamelContext context;

    @BeanInject
    AwsClients aws;

    protected QueueTap notifications;
    protected QueueTap alarms;
    protected ProducerTemplate producer;

    @BeforeEach
    void tapQueues() throws Exception {
        if (producer == null) {
            if (readsTheStreams()) {
                // before the queue consumers stop: readiness wants every route started
                await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> Http.get("http://127.0.0.1:"
                        + kit.managementPort() + "/observe/health/ready").status() == 200);
            }
            producer = context.createProducerTemplate();
            notifications = tap("notification-queue");
            alarms = tap("alarm-queue");
        }
    }

    /** True for scenarios that write to the tables and wait for the stream consumers (KCL leases taken). */
    protected boolean readsTheStreams() {
        return false;
    }

    /** Stops the routes that consume the queue (whatever their ids) and reads it here instead. */
    private QueueTap tap(String logicalQueue) throws Exception {
        String queue = context.resolvePropertyPlaceholders("{{queue:" + logicalQueue + "}}");
        for (Route route : context.getRoutes()) {
            String uri = route.getEndpoint().getEndpointUri();
            if (uri.startsWith("aws2-sqs:")) {
                String name = uri.substring("aws2-sqs:".length()).replaceFirst("^//", "").replaceFirst("\\?.*", "");
                if (name.equals(queue)) {
                    context.getRouteController().stopRoute(route.getRouteId());
                }
            }
        }
        return new QueueTap(aws.sqs(), aws.sqs().getQueueUrl(b -> b.queueName(queue)).queueUrl());
    }

    protected String prefix() {
        return context.resolvePropertyPlaceholders("{{app.prefix}}");
    }

    protected String table(String type) {
        return prefix() + MODULE + "-" + type;
    }

    /** A key no other scenario uses. */
    protected static String unique(String label) {
        return label + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A command record as the publish API writes it. */
    protected static ObjectNode command(String pk, String skBase, long version) {
        ObjectNode command = Jackson.MAPPER.createObjectNode()
                .put("pk", pk).put("sk", skBase + "@" + version).put("id", pk + "#" + skBase)
                .put("code", skBase).put("name", "scenario v" + version).put("tenantCode", tenantOf(pk))
                .put("type", "SCENARIO").put("version", version).put("source", "scenario-test")
                .put("requestId", "req-" + version).put("isDeleted", false);
        command.putObject("attributes").put("v", version);
        return command;
    }

    private static String tenantOf(String pk) {
        return pk.substring(pk.lastIndexOf('#') + 1);
    }

    /** Writes a command row that starts no workflow (see the class comment). */
    protected void putCommandRow(ObjectNode command) {
        ObjectNode row = command.deepCopy().put("syncMode", "SYNC");
        aws.dynamoDb().putItem(b -> b.tableName(table("command")).item(DynamoJson.toItem(row)));
    }

    protected void putItem(String physicalTable, ObjectNode item) {
        aws.dynamoDb().putItem(b -> b.tableName(physicalTable).item(DynamoJson.toItem(item)));
    }

    protected Optional<ObjectNode> item(String physicalTable, String pk, String sk) {
        Map<String, AttributeValue> item = aws.dynamoDb().getItem(b -> b.tableName(physicalTable).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(DynamoJson.fromItem(item));
    }

    protected String status(ObjectNode command) {
        return item(table("command"), command.get("pk").asText(), command.get("sk").asText())
                .map(c -> c.path("status").asText(null)).orElse(null);
    }

    /** The TTL setting of a tenant for one of the module's tables, as master-data holds it. */
    protected void ttlSetting(String tenant, String type, int days) {
        ObjectNode setting = Jackson.MAPPER.createObjectNode()
                .put("pk", "MASTER#" + tenant).put("sk", "TTL#" + table(type));
        setting.putObject("attributes").put("days", days);
        putItem(prefix() + "master-data", setting);
    }

    /**
     * The worker-queue message the command state machine sends for {@code state} ({"source","context","input",
     * "taskToken"}), its execution started by the stream record of {@code command}, parsed as the dispatcher does.
     */
    protected StepEvent stepEvent(String state, ObjectNode command, JsonNode input, String taskToken) {
        String machineArn = "arn:aws:states:us-east-1:000000000000:stateMachine:" + prefix() + "command-handler";
        String executionName = unique("scenario");
        ObjectNode message = Jackson.MAPPER.createObjectNode().put("source", "step-function");
        ObjectNode ctx = message.putObject("context");
        ObjectNode execution = ctx.putObject("Execution")
                .put("Id", machineArn.replace(":stateMachine:", ":execution:") + ":" + executionName)
                .put("Name", executionName).put("StartTime", Instant.now().toString());
        execution.set("Input", streamRecord(command));
        ctx.putObject("State").put("Name", state).put("EnteredTime", Instant.now().toString()).put("RetryCount", 0);
        ctx.putObject("StateMachine").put("Id", machineArn).put("Name", prefix() + "command-handler");
        ctx.putObject("Task").put("Token", taskToken);
        message.set("input", input);
        message.put("taskToken", taskToken);
        return StepEvent.parse(message.toString(), prefix());
    }

    /** The execution input: the INSERT stream record of the command, as Lambda receives it. */
    protected ObjectNode streamRecord(ObjectNode command) {
        String streamArn = aws.dynamoDb().describeTable(b -> b.tableName(table("command"))).table().latestStreamArn();
        ObjectNode record = Jackson.MAPPER.createObjectNode().put("source", streamArn)
                .put("eventSourceARN", streamArn).put("eventID", UUID.randomUUID().toString())
                .put("eventName", "INSERT").put("eventVersion", "1.1").put("eventSource", "aws:dynamodb")
                .put("awsRegion", "us-east-1");
        ObjectNode dynamodb = record.putObject("dynamodb");
        dynamodb.set("Keys", DynamoJson.toDynamoJson(Map.of("pk", AttributeValue.fromS(command.get("pk").asText()),
                "sk", AttributeValue.fromS(command.get("sk").asText()))));
        dynamodb.set("NewImage", DynamoJson.toDynamoJson(DynamoJson.toItem(command)));
        dynamodb.put("StreamViewType", "NEW_IMAGE");
        return record;
    }

    /** Runs the step route of {@code state} as the dispatcher does; the exchange carries the reply or the failure. */
    protected Exchange runStep(StepEvent event) {
        return producer.send("direct:command-handler." + event.state(), e -> {
            e.getMessage().setBody(event);
            e.getMessage().setHeader(StepHeaders.EVENT, event);
            e.getMessage().setHeader(StepHeaders.MACHINE, event.machine());
            e.getMessage().setHeader(StepHeaders.STATE, event.state());
            e.getMessage().setHeader(SfnTaskHeaders.TOKEN, event.taskToken());
        });
    }

    /** The step's reply as JSON; fails the test with the step's exception if it threw. */
    protected static JsonNode output(Exchange reply) throws Exception {
        if (reply.getException() != null) {
            throw new AssertionError("the step failed", reply.getException());
        }
        Object body = reply.getMessage().getBody();
        if (body instanceof JsonNode node) {
            return node;
        }
        return Jackson.MAPPER.readTree(reply.getMessage().getBody(String.class));
    }

    /** JSON as text would carry it: 1 and 1L compare equal (Jackson's nodes do not). */
    protected static JsonNode normal(JsonNode node) throws Exception {
        return Jackson.MAPPER.readTree(node.toString());
    }

    /** The command-status notifications about a command, once all it caused are on the queue (see QueueTap). */
    protected List<JsonNode> statusMessages(ObjectNode command, int atLeast) {
        String pk = command.get("pk").asText();
        String sk = command.get("sk").asText();
        return notifications.settle(m -> m.path("action").asText().equals("command-status")
                && m.path("pk").asText().equals(pk) && m.path("sk").asText().equals(sk), atLeast);
    }

    /** The statuses announced by {@link #statusMessages}. */
    protected List<String> statusNotifications(ObjectNode command, int atLeast) {
        return statusMessages(command, atLeast).stream().map(m -> m.path("content").path("status").asText()).toList();
    }

    /** The alarms about a command's pk, once the queue has nothing older left (see QueueTap). */
    protected List<JsonNode> alarmsAbout(String pk, int atLeast) {
        return alarms.settle(m -> m.path("action").asText().equals("sfn-alarm") && m.path("pk").asText().equals(pk),
                atLeast);
    }
}
