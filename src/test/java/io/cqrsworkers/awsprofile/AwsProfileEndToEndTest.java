package io.cqrsworkers.awsprofile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.chaos.ServiceProcess;
import io.cqrsworkers.security.TestIssuer;
import io.cqrsworkers.support.SynthesizedStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code aws} profile end to end, without AWS (issue "Production on AWS"): SQS, DynamoDB with Streams, S3 and
 * Step Functions run as separate processes standing in for AWS ({@link StandInAws}); every table, queue, bucket and
 * state machine is created from the synthesized CloudFormation template ({@link CloudFormationApplier}); the service
 * runs as a child JVM (target/classes + runtime classpath, {@link ServiceProcess}) configured as the stack's task
 * definition configures the container (its environment, resolved from the template), pointed at the stand-ins by the
 * SDK's own AWS_ENDPOINT_URL_* variables, with static credentials, bearer tokens of a test issuer and notifications to
 * a fake AppSync.
 *
 * <ol>
 * <li>a missing queue, then a missing KCL lease table, stops the start with an error naming it, and the service
 * creates neither;</li>
 * <li>one replica: commands v1 to v3, a step-function task, a CSV import in each mode;</li>
 * <li>two replicas, one killed with SIGKILL midway: the survivor takes over the stream leases and the in-flight
 * messages, and every outcome is right, once.</li>
 * </ol>
 * Nothing here sleeps to prove an absence: every wait polls towards a deadline.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AwsProfileEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = Path.of("target", "awsprofile-e2e").toAbsolutePath();
    private static final String AUDIENCE = "e2e-app-client";
    private static final String ADMIN_TENANT = "common";
    /** Round 1 (one replica) is small; round 2 is big enough that the kill finds the task and both imports running. */
    private static final int TASK_ITEMS_1 = 4;
    private static final int CSV_ROWS_1 = 250;
    private static final int TASK_ITEMS_2 = 12;
    private static final int CSV_ROWS_2 = 1000;
    /** The template's VisibilityTimeout of the queues is 60 s; KCL's failover 10 s: the kill round waits for both. */
    private static final Duration OUTCOME_DEADLINE = Duration.ofSeconds(150);

    private final long classStart = System.nanoTime();
    private final Map<String, Long> timings = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private SynthesizedStack template;
    private StandInAws aws;
    private CloudFormationApplier stack;
    private TestIssuer issuer;
    private FakeAppSync appSync;
    private String adminToken;
    private String prefix;
    private final List<ServiceProcess> services = new ArrayList<>();
    private ServiceProcess replicaA;
    private Set<String> ownersOfA = Set.of();

    // ------------------------------------------------------------------------------------------------ set-up

    @BeforeAll
    void standInsAndTemplate() throws Exception {
        StandInAws.deleteRecursively(ROOT);
        Files.createDirectories(ROOT);
        long t = System.nanoTime();
        // the synth (when needed) and the stand-ins' start overlap
        CompletableFuture<SynthesizedStack> synth = CompletableFuture.supplyAsync(
                () -> SynthesizedStack.load(Path.of("").toAbsolutePath(), ROOT));
        aws = StandInAws.start(ROOT.resolve("aws"), Duration.ofSeconds(60));
        lap("stand-ins started (4 processes)", t);
        template = synth.join();
        if (template.synthMillis() >= 0) {
            timings.put("bash infra/synth.sh (the template was missing or stale)", template.synthMillis());
        }
        lap("template ready", t);
        System.out.printf("[e2e] template %s (stack %s)%n", template.file(), template.stackName());
        issuer = new TestIssuer();
        stack = new CloudFormationApplier(template.json(), template.stackName(), aws,
                Map.of("ImageUri", "example.invalid/cqrs-workers:e2e", "JwtIssuer", issuer.issuer(),
                        "JwtAudience", AUDIENCE, "AdminTenant", ADMIN_TENANT));
        System.out.printf("[e2e] applied types: %s%n[e2e] skipped types: %s%n",
                new TreeSet<>(stack.appliedResources().values()), stack.skippedTypes());

        issuer.publish("e2e-key");
        adminToken = issuer.sign("e2e-key", issuer.idClaims("e2e-admin", ADMIN_TENANT, AUDIENCE));
        appSync = new FakeAppSync();
    }

    @AfterAll
    void stopEverything() throws Exception {
        for (ServiceProcess service : services) {
            service.close();
        }
        if (aws != null) {
            aws.close();
        }
        if (issuer != null) {
            issuer.close();
        }
        if (appSync != null) {
            appSync.close();
        }
        timings.put("whole class", ms(classStart));
        System.out.println("[e2e] timings (ms):");
        timings.forEach((what, millis) -> System.out.printf("[e2e]   %7d  %s%n", millis, what));
    }

    // ------------------------------------------------------------------------------------------------ tests

    @Test
    @Order(1)
    void aMissingQueueOrLeaseTableStopsTheStartWithItsNameAndIsNotCreated() throws Exception {
        Map<String, String> environment = serviceEnvironment();
        prefix = environment.get("NODE_ENV") + "-" + environment.get("APP_NAME") + "-";
        String missingQueue = prefix + "alarm-queue";
        String missingLeases = prefix + "workers-sample-command";
        String queueId = stack.logicalId(missingQueue);
        String leasesId = stack.logicalId(missingLeases);
        long t = System.nanoTime();
        List<String> created = stack.apply(id -> !id.equals(queueId) && !id.equals(leasesId));
        lap("template applied but for " + missingQueue + " and " + missingLeases + " (" + created.size()
                + " resources)", t);
        System.out.printf("[e2e] properties the stand-ins do not apply: %s%n", stack.notApplied());

        t = System.nanoTime();
        String log = startExpectingFailure("missing-queue", environment);
        assertThat(log).as("the start error names the missing queue").contains(missingQueue);
        assertThat(queueExists(missingQueue)).as("the service created no queue").isFalse();
        lap("a start without " + missingQueue + " failed naming it", t);

        assertThat(stack.apply(queueId::equals)).containsExactly(queueId);
        t = System.nanoTime();
        log = startExpectingFailure("missing-lease-table", environment);
        assertThat(log).as("the start error names the missing lease table").contains(missingLeases);
        assertThat(tableExists(missingLeases)).as("KCL created no lease table").isFalse();
        lap("a start without " + missingLeases + " failed naming it", t);

        t = System.nanoTime();
        List<String> rest = stack.apply(id -> true);
        assertThat(rest).containsExactly(leasesId);
        assertThat(stack.apply(id -> true)).isEmpty();
        lap("rest of the template applied", t);
    }

    @Test
    @Order(2)
    void oneReplicaRunsCommandsATaskAndImportsInBothModes() throws Exception {
        replicaA = startReplica("replica-a");
        assertThat(httpGet(replicaA, "/commands/sample?pk=ORDER%23t1&sk=ORDER%231", null).statusCode())
                .as("no bearer token: 401").isEqualTo(401);

        long t = System.nanoTime();
        Work work = submit(replicaA, "r1", TASK_ITEMS_1, CSV_ROWS_1);
        awaitOutcomes(List.of(replicaA), work, Duration.ofSeconds(90));
        lap("round 1 (one replica): every outcome right", t);
        ownersOfA = activeLeaseOwners().values().stream().collect(java.util.stream.Collectors.toSet());
        System.out.printf("[e2e] leases after round 1: %s%n", activeLeaseOwners());
        assertThat(ownersOfA).as("replica A alone holds every stream lease").isNotEmpty();
        assertThat(appSync.rejected()).isZero();
        assertThat(appSync.messages().stream().filter(m -> "command-status".equals(m.path("action").asText())))
                .as("command-status notifications reached AppSync").isNotEmpty();
    }

    @Test
    @Order(3)
    void twoReplicasOneKilledMidwayStillFinishEverythingOnce() throws Exception {
        if (replicaA == null || !replicaA.alive()) {
            replicaA = startReplica("replica-a2");
        }
        ServiceProcess replicaB = startReplica("replica-b");

        long t = System.nanoTime();
        Work work = submit(replicaA, "r2", TASK_ITEMS_2, CSV_ROWS_2);
        // midway: the task and both imports picked up (their executions and the DIRECT reader run); if one of them
        // is done before the others start, kill at the deadline anyway and say so
        Map<String, String> statuses = new LinkedHashMap<>();
        long midwayDeadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < midwayDeadline) {
            statuses.put("task", apiGet(replicaB, "/tasks?pk=" + enc(work.taskPk) + "&sk=" + enc(work.taskSk))
                    .path("status").asText());
            work.imports.forEach((mode, id) -> statuses.put(mode, apiGet(replicaB, "/imports?id=" + enc(id))
                    .path("status").asText()));
            if (statuses.values().stream().allMatch("PROCESSING"::equals)
                    || statuses.values().stream().anyMatch("COMPLETED"::equals)) {
                break;
            }
            Thread.sleep(20);
        }
        Map<String, String> leases = activeLeaseOwners();
        long leasesOfA = leases.values().stream().filter(ownersOfA::contains).count();
        Map<String, Long> inFlight = messagesInFlight();
        int exit = replicaA.kill();
        long killedAt = System.nanoTime();
        System.out.printf("[e2e] SIGKILL to replica A (exit %d) %d ms after round 2 was submitted: statuses %s; "
                        + "A held %d of %d stream leases %s; messages in flight %s%n", exit, ms(t), statuses,
                leasesOfA, leases.size(), leases, inFlight);

        assertThat(leasesOfA).as("replica A held stream leases when it was killed: " + leases).isPositive();
        awaitCondition(Duration.ofSeconds(90), () -> activeLeaseOwners().values().stream()
                .noneMatch(ownersOfA::contains) ? true : null, "replica B holding every lease of the killed replica");
        timings.put("round 2: from the SIGKILL to replica B holding every stream lease", ms(killedAt));
        awaitOutcomes(List.of(replicaB), work, OUTCOME_DEADLINE);
        timings.put("round 2: from the SIGKILL to every outcome right", ms(killedAt));
        lap("round 2 (two replicas, one killed)", t);

        Map<String, String> after = activeLeaseOwners();
        System.out.printf("[e2e] leases after round 2: %s%n", after);
        assertThat(after.values()).as("no stream lease is left with the killed replica").noneMatch(ownersOfA::contains);
        assertThat(after).as("every stream lease has an owner").hasSameSizeAs(leases);
        // round 1 still right, nothing applied twice by the takeover
        verifyOnce(replicaB, submittedRound1);

        assertThat(resourcesBeyondTheTemplate()).as("the service created no resource of its own").isEmpty();
        assertThat(aws.dead()).as("stand-ins alive").isEmpty();
    }

    // ------------------------------------------------------------------------------------------------ the work

    /** What one round submits. */
    private static final class Work {
        final String round;
        final List<String[]> commands = new ArrayList<>();
        String taskPk;
        String taskSk;
        final Map<String, String> imports = new LinkedHashMap<>();
        final Map<String, String> importTenants = new LinkedHashMap<>();
        final int taskItems;
        final int csvRows;

        Work(String round, int taskItems, int csvRows) {
            this.round = round;
            this.taskItems = taskItems;
            this.csvRows = csvRows;
        }
    }

    private Work submittedRound1;

    private Work submit(ServiceProcess service, String round, int taskItems, int csvRows) {
        Work work = new Work(round, taskItems, csvRows);
        if (submittedRound1 == null) {
            submittedRound1 = work;
        }
        for (int entity = 1; entity <= 3; entity++) {
            String pk = "ORDER#t1";
            String sk = "ORDER#" + round + "-" + entity;
            // v1, v2, v3 at once: v2 and v3 wait for their predecessors in the command state machine
            for (int version = 0; version < 3; version++) {
                ObjectNode body = JSON.createObjectNode().put("pk", pk).put("sk", sk).put("code", round + "-" + entity)
                        .put("name", "order " + entity + " v" + (version + 1)).put("tenantCode", "t1")
                        .put("type", "ORDER").put("version", version);
                body.putObject("attributes").put("total", 10 * (version + 1));
                apiPost(service, "/commands/sample", "application/json", body.toString(), 201);
            }
            work.commands.add(new String[] {pk, sk});
        }
        ObjectNode task = JSON.createObjectNode().put("taskType", "demo").put("tenantCode", "t1");
        ArrayNode items = task.putArray("input");
        for (int i = 1; i <= taskItems; i++) {
            items.addObject().put("n", i).put("round", round);
        }
        JsonNode created = apiPost(service, "/tasks/step-function", "application/json", task.toString(), 201);
        work.taskPk = created.path("pk").asText();
        work.taskSk = created.path("sk").asText();
        for (String mode : List.of("DIRECT", "STEP_FUNCTION")) {
            String tenant = (mode.equals("DIRECT") ? "d" : "s") + round;
            StringBuilder csv = new StringBuilder("code,name,qty\n");
            for (int i = 1; i <= csvRows; i++) {
                csv.append(String.format("%s-%04d,row %d,%d%n", tenant, i, i, i));
            }
            JsonNode job = apiPost(service, "/imports/csv?tableName=sample&tenantCode=" + tenant + "&processingMode="
                    + mode, "text/csv", csv.toString(), 202);
            work.imports.put(mode, job.path("id").asText());
            work.importTenants.put(mode, tenant);
        }
        System.out.printf("[e2e] %s submitted to %s: 3 commands x 3 versions, a step-function task of %d items, "
                + "CSV imports of %d rows %s%n", round, service.api(), taskItems, csvRows, work.imports);
        return work;
    }

    /** Polls until every outcome of the round is right (then checks it once more in full), or fails saying what is not. */
    private void awaitOutcomes(List<ServiceProcess> running, Work work, Duration timeout) throws Exception {
        ServiceProcess service = running.get(0);
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> wrong = List.of("not looked at yet");
        while (System.nanoTime() < deadline) {
            for (ServiceProcess s : running) {
                if (!s.alive()) {
                    throw new AssertionError("a replica died: " + s.describe());
                }
            }
            wrong = whatIsNotDone(service, work);
            if (wrong.isEmpty()) {
                verifyOnce(service, work);
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(work.round + ": not right within " + timeout.toSeconds() + " s: " + wrong);
    }

    private List<String> whatIsNotDone(ServiceProcess service, Work work) {
        List<String> wrong = new ArrayList<>();
        for (String[] c : work.commands) {
            JsonNode command = apiGet(service, "/commands/sample?pk=" + enc(c[0]) + "&sk=" + enc(c[1]));
            if (!"finish:FINISHED".equals(command.path("status").asText()) || command.path("version").asInt() != 3) {
                wrong.add(c[1] + " v" + command.path("version").asText() + " " + command.path("status").asText());
            }
        }
        JsonNode task = apiGet(service, "/tasks?pk=" + enc(work.taskPk) + "&sk=" + enc(work.taskSk));
        if (!"COMPLETED".equals(task.path("status").asText())) {
            wrong.add("task " + task.path("status").asText() + " " + task.path("attributes"));
        }
        work.imports.forEach((mode, id) -> {
            JsonNode job = apiGet(service, "/imports?id=" + enc(id));
            if (!"COMPLETED".equals(job.path("status").asText())) {
                wrong.add(mode + " import " + job.path("status").asText() + " total " + job.path("totalRows").asText()
                        + " succeeded " + job.path("succeededRows").asText());
            }
        });
        return wrong;
    }

    /** Every outcome right, and once: versions, history rows, counts, one data record per CSV row at version 1. */
    private void verifyOnce(ServiceProcess service, Work work) {
        for (String[] c : work.commands) {
            for (int version = 1; version <= 3; version++) {
                JsonNode v = apiGet(service, "/commands/sample?pk=" + enc(c[0]) + "&sk=" + enc(c[1] + "@" + version));
                assertThat(v.path("status").asText()).as(c[1] + "@" + version + ": " + v).isEqualTo("finish:FINISHED");
            }
            JsonNode data = apiGet(service, "/data/sample?pk=" + enc(c[0]) + "&sk=" + enc(c[1]));
            assertThat(data.path("version").asInt()).as("read model of " + c[1] + ": " + data).isEqualTo(3);
            assertThat(data.path("attributes").path("total").asInt()).as("read model of " + c[1]).isEqualTo(30);
            List<JsonNode> history = query(prefix + "sample-history", c[0], c[1] + "@");
            assertThat(history.stream().map(h -> h.path("sk").path("S").asText()).sorted().toList())
                    .as("history of " + c[1]).containsExactly(c[1] + "@1", c[1] + "@2");
        }
        JsonNode task = apiGet(service, "/tasks?pk=" + enc(work.taskPk) + "&sk=" + enc(work.taskSk));
        JsonNode a = task.path("attributes");
        assertThat(task.path("status").asText()).as("task " + task).isEqualTo("COMPLETED");
        assertThat(List.of(a.path("subTaskCount").asInt(), a.path("subTaskSucceedCount").asInt(),
                a.path("subTaskFailedCount").asInt(), a.path("subTaskRunningCount").asInt()))
                .as("task counts " + a).containsExactly(work.taskItems, work.taskItems, 0, 0);
        work.imports.forEach((mode, id) -> {
            JsonNode job = apiGet(service, "/imports?id=" + enc(id));
            assertThat(job.path("status").asText()).as(mode + " " + job).isEqualTo("COMPLETED");
            assertThat(List.of(job.path("totalRows").asLong(), job.path("succeededRows").asLong(),
                    job.path("failedRows").asLong())).as(mode + " counts " + job)
                    .containsExactly((long) work.csvRows, (long) work.csvRows, 0L);
            String tenant = work.importTenants.get(mode);
            List<JsonNode> rows = query(prefix + "sample-data", "SAMPLE#" + tenant, tenant + "-");
            assertThat(rows).as(mode + " import: one data record per row").hasSize(work.csvRows);
            assertThat(rows.stream().filter(r -> !"1".equals(r.path("version").path("N").asText())).toList())
                    .as(mode + " import: every row applied once (version 1)").isEmpty();
        });
    }

    // ------------------------------------------------------------------------------------------------ the service

    /** The container's environment as the stack's task definition sets it, plus what stands in for AWS. */
    private Map<String, String> serviceEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode definition = null;
        for (JsonNode resource : (Iterable<JsonNode>) template.json().path("Resources")::elements) {
            if ("AWS::ECS::TaskDefinition".equals(resource.path("Type").asText())) {
                definition = resource.path("Properties").path("ContainerDefinitions").get(0);
            }
        }
        assertThat(definition).as("the template's ECS task definition").isNotNull();
        for (JsonNode variable : definition.path("Environment")) {
            env.put(variable.path("Name").asText(), stack.resolve(variable.path("Value")).asText());
        }
        assertThat(env).containsEntry("CAMEL_MAIN_PROFILE", "aws").containsKeys("NODE_ENV", "APP_NAME", "AWS_REGION");
        // AppSync is not stood in for by the template applier: its URL (a GetAtt of the API) and key (a secret)
        env.put("APP_NOTIFICATIONS_APPSYNC_URL", appSync.url());
        for (JsonNode secret : definition.path("Secrets")) {
            assertThat(secret.path("Name").asText()).isEqualTo("APP_NOTIFICATIONS_APPSYNC_API_KEY");
            env.put(secret.path("Name").asText(), FakeAppSync.API_KEY);
        }
        env.putAll(aws.sdkEnvironment());
        // aws.s3.path-style: the S3 stand-in is reached by host name and answers path-style requests only (AWS
        // itself needs nothing)
        env.put("AWS_S3_PATH_STYLE", "true");
        // the stack's JwtIssuer, JwtAudience and AdminTenant parameters, given the test issuer's values
        assertThat(env).containsEntry("APP_SECURITY_ISSUER", issuer.issuer()).containsEntry("APP_SECURITY_AUDIENCE", AUDIENCE);
        return env;
    }

    private ServiceProcess startReplica(String name) throws Exception {
        Path dir = ROOT.resolve(name);
        Files.createDirectories(dir);
        ServiceProcess service = new ServiceProcess(dir, serviceEnvironment());
        services.add(service);
        long t = System.nanoTime();
        Path log = service.start();
        long ready = service.awaitReady(Duration.ofSeconds(90), log);
        timings.put(name + " ready (aws profile, " + service.describe() + ")", ready);
        System.out.printf("[e2e] %s ready in %d ms, API %s, log %s%n", name, ms(t), service.api(), log);
        return service;
    }

    /** Starts a replica that must fail; returns its log once it has exited non-zero. */
    private String startExpectingFailure(String name, Map<String, String> environment) throws Exception {
        Path dir = ROOT.resolve(name);
        Files.createDirectories(dir);
        ServiceProcess service = new ServiceProcess(dir, environment);
        services.add(service);
        Path log = service.start();
        int exit = service.awaitExit(Duration.ofSeconds(90), log);
        String text = Files.readString(log);
        assertThat(exit).as("exit code; the end of " + log + ":\n" + ServiceProcess.tail(log, 20)).isNotZero();
        Matcher error = Pattern.compile("\"message\":\"(The service did not start[^\"]*)").matcher(text);
        System.out.printf("[e2e] %s: exit %d, %s%n", name, exit, error.find() ? error.group(1) : "(no start error line)");
        return text;
    }

    // ------------------------------------------------------------------------------------------------ AWS look-ups

    private boolean queueExists(String name) {
        return aws("sqs", "AmazonSQS.ListQueues", JSON.createObjectNode().put("QueueNamePrefix", name))
                .path("QueueUrls").toString().contains("/" + name + "\"");
    }

    private boolean tableExists(String name) {
        return listTables().contains(name);
    }

    private Set<String> listTables() {
        Set<String> names = new TreeSet<>();
        aws("dynamodb", "DynamoDB_20120810.ListTables", JSON.createObjectNode()).path("TableNames")
                .forEach(n -> names.add(n.asText()));
        return names;
    }

    /** Items of pk whose sk starts with the prefix (every page). */
    private List<JsonNode> query(String table, String pk, String skPrefix) {
        List<JsonNode> items = new ArrayList<>();
        JsonNode start = null;
        do {
            ObjectNode request = JSON.createObjectNode().put("TableName", table).put("ConsistentRead", true)
                    .put("KeyConditionExpression", "pk = :pk AND begins_with(sk, :sk)");
            ObjectNode values = request.putObject("ExpressionAttributeValues");
            values.putObject(":pk").put("S", pk);
            values.putObject(":sk").put("S", skPrefix);
            if (start != null) {
                request.set("ExclusiveStartKey", start);
            }
            JsonNode page = aws("dynamodb", "DynamoDB_20120810.Query", request);
            page.path("Items").forEach(items::add);
            start = page.get("LastEvaluatedKey");
        } while (start != null);
        return items;
    }

    /** Lease key -> owner of every lease of an open shard in the KCL lease tables. */
    private Map<String, String> activeLeaseOwners() {
        Map<String, String> owners = new java.util.TreeMap<>();
        for (String table : listTables()) {
            if (!table.startsWith(prefix + "workers-")) {
                continue;
            }
            JsonNode page = aws("dynamodb", "DynamoDB_20120810.Scan", JSON.createObjectNode().put("TableName", table)
                    .put("ConsistentRead", true));
            for (JsonNode item : page.path("Items")) {
                String checkpoint = item.path("checkpoint").path("S").asText("");
                if (item.has("leaseKey") && !checkpoint.isEmpty() && !"SHARD_END".equals(checkpoint)) {
                    owners.put(table.substring(prefix.length()) + ":" + item.path("leaseKey").path("S").asText()
                            .replaceAll(".*/stream/", ""), item.path("leaseOwner").path("S").asText("-"));
                }
            }
        }
        return owners;
    }

    private Map<String, Long> messagesInFlight() {
        Map<String, Long> inFlight = new java.util.TreeMap<>();
        for (JsonNode url : aws("sqs", "AmazonSQS.ListQueues", JSON.createObjectNode().put("QueueNamePrefix", prefix))
                .path("QueueUrls")) {
            ObjectNode request = JSON.createObjectNode().put("QueueUrl", url.asText());
            request.putArray("AttributeNames").add("ApproximateNumberOfMessagesNotVisible");
            long n = aws("sqs", "AmazonSQS.GetQueueAttributes", request).path("Attributes")
                    .path("ApproximateNumberOfMessagesNotVisible").asLong();
            if (n > 0) {
                inFlight.put(url.asText().replaceAll(".*/" + Pattern.quote(prefix), ""), n);
            }
        }
        return inFlight;
    }

    /** Tables, queues, buckets and state machines in the stand-ins that the template does not have. */
    private List<String> resourcesBeyondTheTemplate() throws Exception {
        Set<String> expected = new TreeSet<>();
        stack.appliedResources().keySet().forEach(id -> expected.add(stack.physicalName(id)));
        List<String> extra = new ArrayList<>();
        listTables().stream().filter(n -> !expected.contains(n)).forEach(n -> extra.add("table " + n));
        aws("sqs", "AmazonSQS.ListQueues", JSON.createObjectNode()).path("QueueUrls").forEach(u -> {
            String name = u.asText().substring(u.asText().lastIndexOf('/') + 1);
            if (!expected.contains(name)) {
                extra.add("queue " + name);
            }
        });
        aws("stepfunctions", "AWSStepFunctions.ListStateMachines", JSON.createObjectNode()).path("stateMachines")
                .forEach(m -> {
                    if (!expected.contains(m.path("name").asText())) {
                        extra.add("state machine " + m.path("name").asText());
                    }
                });
        String buckets = http.send(HttpRequest.newBuilder(aws.s3().resolve("/")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("<Name>([^<]+)</Name>").matcher(buckets);
        while (m.find()) {
            if (!expected.contains(m.group(1))) {
                extra.add("bucket " + m.group(1));
            }
        }
        return extra;
    }

    private JsonNode aws(String service, String target, ObjectNode body) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(aws.endpoint(service))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/x-amz-json-1.0")
                    .header("X-Amz-Target", target).POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError(target + " " + body + ": " + response.statusCode() + " " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError(target, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------------------------------------ HTTP

    private JsonNode apiPost(ServiceProcess service, String path, String contentType, String body, int expected) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(service.api() + path))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", contentType)
                    .header("Authorization", "Bearer " + adminToken)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("POST " + path + ": " + response.body()).isEqualTo(expected);
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("POST " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The body of a 200, else {"httpStatus","body"}. */
    private JsonNode apiGet(ServiceProcess service, String path) {
        HttpResponse<String> response = httpGet(service, path, adminToken);
        try {
            return response.statusCode() == 200 ? JSON.readTree(response.body())
                    : JSON.createObjectNode().put("httpStatus", response.statusCode()).put("body", response.body());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private HttpResponse<String> httpGet(ServiceProcess service, String path, String token) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.api() + path))
                    .timeout(Duration.ofSeconds(30)).GET();
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("GET " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static <T> T awaitCondition(Duration timeout, Supplier<T> check, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            T value = check.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }

    private void lap(String what, long since) {
        long millis = ms(since);
        timings.put(what, millis);
        System.out.printf("[e2e] %s: %d ms%n", what, millis);
    }
}
