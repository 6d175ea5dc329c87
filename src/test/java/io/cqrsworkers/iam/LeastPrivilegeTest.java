package io.cqrsworkers.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.aws.AwsClients;
import io.cqrsworkers.aws.SdkCallRecorder;
import io.cqrsworkers.config.AppConfiguration;
import io.cqrsworkers.support.Http;
import io.cqrsworkers.testkit.EmbeddedAws;
import io.cqrsworkers.testkit.EmbeddedAwsClient;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apache.camel.test.main.junit5.Configure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Least privilege, proven: the service runs in-process on the embedded AWS with every call of its SDK clients
 * recorded ({@link SdkCallRecorder}, KCL's included), and is driven through its API like a user would: commands
 * (workflow, partial, sync, a large attribute in S3), a plain, a failing, a step-function and an operator-stopped
 * task (the execution watch), CSV imports in both modes and a single-row import, the approval workflow (approve and
 * reject), the stream dead-letter replay. Then each recorded call is evaluated against the task role's policy of the
 * synthesized template ({@link TaskRolePolicy}): a call the policy would deny fails the test, and so does an action a
 * statement allows that no recorded call needed. Calls made while the embedded resources are created (the
 * Provisioner: CloudFormation's job in AWS) are left out; the test's own calls use clients of their own.
 * Report: target/iam/least-privilege.txt; the raw calls: target/iam/aws-calls.tsv.
 */
// the service's routes only (the other tests' routes are not the service's calls), its own sync handlers; resources
// of their own
@EmbeddedAws
@CamelMainTest(configurationClasses = AppConfiguration.class, properties = {
        SdkCallRecorder.PROPERTY + "=target/iam/aws-calls.tsv",
        "app.prefix=" + LeastPrivilegeTest.PREFIX,
        "app.workflow.watch-interval-seconds=1",
        "app.task.retry-delay-seconds=1",
        "app.import.retry-delay-seconds=1"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeastPrivilegeTest {

    /**
     * The deployment's lease tables. An instance, not a class: application.properties' list of configuration classes
     * replaces any class added here.
     */
    @Configure
    void deployedLeaseTables(MainConfigurationProperties main) {
        main.addConfiguration(new DeployedLeaseTables());
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Path CALLS = Path.of("target", "iam", "aws-calls.tsv");
    private static final Path REPORT = Path.of("target", "iam", "least-privilege.txt");
    static final String PREFIX = "iam-cqrs-";
    private static final long STARTED = System.nanoTime();
    static {
        try {
            Files.createDirectories(CALLS.getParent());
            Files.deleteIfExists(CALLS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The class's embedded AWS: its ports, data folder and clients. */
    EmbeddedAwsClient kit;

    @BeanInject
    CamelContext context;

    @BeanInject
    AwsClients aws;

    private String api(String path) {
        return "http://127.0.0.1:" + kit.serverPort() + path;
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private JsonNode post(String path, String contentType, String body, int... expected) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(api(path)))
                .header("content-type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isIn(box(expected));
        return r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body());
    }

    private static Integer[] box(int[] values) {
        Integer[] boxed = new Integer[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return boxed;
    }

    private JsonNode awaitJson(String path, java.util.function.Predicate<JsonNode> done) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> {
                    Http.Response r = Http.get(api(path));
                    return r.status() == 200 ? JSON.readTree(r.body()) : null;
                }, j -> j != null && done.test(j));
    }

    private static String command(String pk, String sk, long version, String name, String attributes) {
        return "{\"pk\":\"" + pk + "\",\"sk\":\"" + sk + "\",\"code\":\"c\",\"name\":\"" + name
                + "\",\"tenantCode\":\"iam\",\"type\":\"IAM\",\"version\":" + version + ",\"attributes\":"
                + attributes + "}";
    }

    @Test
    void everyCallOfThePipelinesIsAllowedAndEveryAllowedActionIsUsed() throws Exception {
        long ready = System.nanoTime();
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> Http.get(
                "http://127.0.0.1:" + kit.managementPort() + "/observe/health/ready").status() == 200);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:task-iam-hang").routeId("test-iam-hang").process(e -> Thread.sleep(3000));
                from("direct:task-iam-fail").routeId("test-iam-fail").throwException(
                        new IllegalStateException("failing on purpose"));
            }
        });
        long scenarios = System.nanoTime();

        commands();
        tasks();
        imports();
        approvals();
        // something in the stream dead-letter queue (not a letter: the replay leaves it there)
        try (SqsClient own = SqsClient.builder().region(aws.region())
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .endpointOverride(aws.endpoints().get(AwsClients.SQS)).build()) {
            own.sendMessage(b -> b.queueUrl(own.getQueueUrl(u -> u.queueName(PREFIX + "stream-dead-letter-queue"))
                    .queueUrl()).messageBody("{\"note\":\"not a dead-lettered record\"}"));
        }
        JsonNode replay = post("/api/streams/dlq/replay?table=tasks", "application/json", "", 200);
        assertThat(replay.toString()).contains("replayed");
        // a few more rounds of the background work (KCL lease renewals and shard syncs, polls, the watch)
        Thread.sleep(5000);
        long evaluated = System.nanoTime();

        TaskRolePolicy policy = TaskRolePolicy.load(Path.of("").toAbsolutePath());
        List<RecordedCall> calls = RecordedCall.read(CALLS);
        String report = evaluate(policy, calls, String.format("start %.1f s, ready %.1f s, scenarios %.1f s, "
                        + "synth %.1f s (0: the template was current)",
                (ready - STARTED) / 1e9, (scenarios - ready) / 1e9, (evaluated - scenarios) / 1e9,
                TaskRolePolicy.synthMillis / 1e3));
        Files.writeString(REPORT, report);
        System.out.println(report);
    }

    // ------------------------------------------------------------------ scenarios

    private void commands() throws Exception {
        String pk = "IAM#iam";
        post("/api/commands/sample", "application/json", command(pk, "IAM#1", 0, "first", "{\"n\":1}"), 201);
        awaitJson("/api/data/sample?pk=" + q(pk) + "&sk=" + q("IAM#1"), d -> d.path("version").asLong() == 1);
        // an attribute above app.command.attribute-limit-bytes goes to S3
        String big = "{\"blob\":\"" + "x".repeat(120_000) + "\"}";
        post("/api/commands/sample", "application/json", command(pk, "IAM#1", -1, "big", big), 201);
        awaitJson("/api/data/sample?pk=" + q(pk) + "&sk=" + q("IAM#1"), d -> d.path("version").asLong() == 2);
        awaitJson("/api/commands/sample?pk=" + q(pk) + "&sk=" + q("IAM#1"), c -> c.path("version").asLong() == 2);
        post("/api/commands/sample/partial", "application/json",
                "{\"pk\":\"" + pk + "\",\"sk\":\"IAM#1\",\"name\":\"renamed\"}", 200, 201);
        awaitJson("/api/data/sample?pk=" + q(pk) + "&sk=" + q("IAM#1"), d -> d.path("version").asLong() == 3);
        post("/api/commands/sample/sync", "application/json", command(pk, "IAM#2", 0, "sync", "{}"), 200, 201);
        awaitJson("/api/data/sample?pk=" + q(pk) + "&sk=" + q("IAM#2"), d -> d.path("version").asLong() == 1);
    }

    private JsonNode task(String path, String body) throws Exception {
        return post(path, "application/json", body, 201);
    }

    private JsonNode awaitTask(JsonNode task, String... statuses) {
        return awaitJson("/api/tasks?pk=" + q(task.path("pk").asText()) + "&sk=" + q(task.path("sk").asText()),
                t -> List.of(statuses).contains(t.path("status").asText()));
    }

    private void tasks() throws Exception {
        awaitTask(task("/api/tasks", "{\"taskType\":\"demo\",\"tenantCode\":\"iam\",\"input\":{\"a\":1}}"),
                "COMPLETED");
        // a handler that takes 3 s: the action queue's consumer extends the message's visibility (1 s here)
        awaitTask(task("/api/tasks", "{\"taskType\":\"iam-hang\",\"tenantCode\":\"iam\",\"input\":{}}"),
                "COMPLETED");
        awaitTask(task("/api/tasks", "{\"taskType\":\"iam-fail\",\"tenantCode\":\"iam\",\"input\":{}}"), "FAILED");
        awaitTask(task("/api/tasks/step-function",
                "{\"taskType\":\"demo\",\"tenantCode\":\"iam\",\"input\":[{\"n\":1},{\"n\":2},{\"n\":3}]}"),
                "COMPLETED");
        // an operator stops an execution: the execution watch describes it, reads its history, fails the task
        JsonNode hanging = task("/api/tasks/step-function",
                "{\"taskType\":\"iam-hang\",\"tenantCode\":\"iam\",\"input\":[{\"n\":1}]}");
        String executionArn = awaitTask(hanging, "PROCESSING", "COMPLETED", "FAILED").at("/attributes/executionArn")
                .asText();
        String arn = executionArn.isEmpty() ? awaitJson("/api/tasks?pk=" + q(hanging.path("pk").asText()) + "&sk="
                + q(hanging.path("sk").asText()), t -> !t.at("/attributes/executionArn").asText().isEmpty())
                .at("/attributes/executionArn").asText() : executionArn;
        try (SfnClient operator = SfnClient.builder().region(aws.region())
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .endpointOverride(aws.endpoints().get(AwsClients.STEP_FUNCTIONS)).build()) {
            operator.stopExecution(b -> b.executionArn(arn).error("Operator.Stop").cause("least-privilege test"));
        }
        assertThat(awaitTask(hanging, "FAILED").at("/attributes/executionStatus").asText()).isEqualTo("ABORTED");
    }

    private void imports() throws Exception {
        String csv = "code,name,price\n1,apple,3\n2,\"pear, green\",4\n";
        for (String mode : List.of("DIRECT", "STEP_FUNCTION")) {
            JsonNode job = post("/api/imports/csv?tableName=sample&tenantCode=iam&processingMode=" + mode,
                    "text/csv", csv, 202);
            String id = job.path("id").asText();
            assertThat(awaitJson("/api/imports?id=" + q(id), j -> List.of("COMPLETED", "FAILED")
                    .contains(j.path("status").asText())).path("status").asText()).as(mode).isEqualTo("COMPLETED");
        }
        JsonNode single = post("/api/imports/sample?tenantCode=iam", "application/json",
                "{\"code\":\"3\",\"name\":\"plum\"}", 202);
        awaitJson("/api/imports?id=" + q(single.path("id").asText()), j -> List.of("COMPLETED", "FAILED")
                .contains(j.path("status").asText()));
    }

    private void approvals() throws Exception {
        for (String decision : List.of("approve", "reject")) {
            String name = "iam-" + decision + "-" + System.nanoTime();
            post("/api/workflows/approval?name=" + name, "application/json",
                    "{\"requestId\":\"" + name + "\",\"subject\":\"least privilege\"}", 200, 201, 202);
            awaitJson("/api/approvals/" + name, a -> true);
            post("/api/approvals/" + name + "/" + decision, "application/json", "{\"comment\":\"iam\"}", 200);
            awaitJson("/api/workflows/approval/" + name, w -> !"RUNNING".equals(w.path("status").asText()));
        }
    }

    // ------------------------------------------------------------------ evaluation

    private String evaluate(TaskRolePolicy policy, List<RecordedCall> calls, String timings) {
        String servicePrefix = context.resolvePropertyPlaceholders("{{app.prefix}}");
        List<String> denied = new ArrayList<>();
        // statement -> action -> whether a call needed it
        Map<String, Map<String, Boolean>> used = new TreeMap<>();
        for (TaskRolePolicy.Statement s : policy.statements) {
            if (s.allow()) {
                s.actions().forEach(a -> used.computeIfAbsent(s.id(), k -> new TreeMap<>()).put(a, false));
            }
        }
        Map<String, Set<String>> resourcesByAction = new TreeMap<>();
        Map<String, Set<String>> originsByAction = new TreeMap<>();
        Map<String, Integer> countByAction = new TreeMap<>();
        int provisioning = 0;
        Set<String> seen = new LinkedHashSet<>();
        for (RecordedCall call : calls) {
            if (call.provisioning()) {
                provisioning++;
                continue;
            }
            RecordedCall.IamRequest request = call.iam(servicePrefix, policy.prefix);
            countByAction.merge(request.action(), 1, Integer::sum);
            resourcesByAction.computeIfAbsent(request.action(), k -> new TreeSet<>()).add(request.arn());
            originsByAction.computeIfAbsent(request.action(), k -> new TreeSet<>()).add(call.origin());
            if (!seen.add(request.action() + " " + request.arn())) {
                continue;
            }
            TaskRolePolicy.Decision decision = policy.evaluate(request.action(), request.arn());
            if (!decision.allowed()) {
                denied.add(request.action() + " on " + request.arn() + " (" + call.service() + "."
                        + call.operation() + " from " + call.origin() + "): " + decision.reason());
            }
            for (TaskRolePolicy.Statement s : decision.allowedBy()) {
                used.get(s.id()).replaceAll((pattern, was) -> was
                        || TaskRolePolicy.wildcard(pattern, request.action(), true));
            }
        }
        List<String> unused = new ArrayList<>();
        used.forEach((statement, actions) -> actions.forEach((action, wasUsed) -> {
            if (!wasUsed) {
                unused.add(action + " in " + policy.statements.stream().filter(s -> s.id().equals(statement))
                        .findFirst().orElseThrow());
            }
        }));

        StringBuilder text = new StringBuilder("Least privilege of " + TaskRolePolicy.POLICY_ID + " in "
                + policy.template + "\n" + timings + "\n" + calls.size() + " calls recorded, " + provisioning
                + " of them creating the embedded resources (left out)\n\nactions used (calls, resources, origins):\n");
        countByAction.forEach((action, n) -> text.append(String.format("  %-36s %6d  %s%n      from %s%n", action, n,
                resourcesByAction.get(action).size() > 6 ? resourcesByAction.get(action).size() + " resources"
                        : resourcesByAction.get(action), originsByAction.get(action))));
        text.append("\ndenied (").append(denied.size()).append("):\n");
        denied.forEach(d -> text.append("  ").append(d).append('\n'));
        text.append("\nallowed but never needed (").append(unused.size()).append("):\n");
        unused.forEach(u -> text.append("  ").append(u).append('\n'));

        assertThat(calls).as("no AWS call recorded: is " + SdkCallRecorder.PROPERTY + " honoured?").isNotEmpty();
        assertThat(denied).as("calls the task role would deny\n" + text).isEmpty();
        assertThat(unused).as("actions the task role allows that no call needed\n" + text).isEmpty();
        return text.toString();
    }
}
