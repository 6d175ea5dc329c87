package io.cqrsworkers.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.workflow.ExecutionNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

import static io.cqrsworkers.chaos.CommandPublisher.enc;
import static org.assertj.core.api.Assertions.fail;

/**
 * kill -9 while the service works. The packaged service (what target/cqrs-workers.jar runs) is a child process with
 * its own working directory, so its embedded AWS keeps everything under {@code <dir>/.local-aws}, and its own ports.
 * Each life of the service, but the last:
 * <ol>
 * <li>a step-function task of {@code chaos.task-items} items is submitted (and in life 0 a DIRECT CSV import, in
 * life 1 a STEP_FUNCTION one, of {@code chaos.rows} rows, uploaded to the embedded S3 first);</li>
 * <li>once the task has been taken from the tasks stream (after a kill -9 the stream leases of the dead process have
 * to expire first, so nothing moves for some seconds after "ready"), the next wave of commands starts: version v of
 * each of {@code chaos.entities} entities, one POST every {@code chaos.publish-interval-ms}, each as "after v-1";</li>
 * <li>a seeded random 0.5-3 s later the service gets SIGKILL, with the task's Map, the import and the wave in
 * flight, and is started again on the same directory and ports; the test waits for /observe/health/ready.</li>
 * </ol>
 * Waves left over run after the last restart; requests that failed because the service was dead are sent again
 * (see {@link CommandPublisher}). Then every acknowledged piece of work must end as if nothing had happened:
 * <ul>
 * <li>every written command version {@code finish:FINISHED}, the read model at the entity's last version, the history
 * holding every earlier version;</li>
 * <li>every CSV row applied exactly once (one data record at version 1 and one command per row, no history), the job
 * COMPLETED with totalRows = readRows = succeededRows (+ failedRows = 0) = processedRows;</li>
 * <li>every step-function task COMPLETED with all its sub-tasks succeeded.</li>
 * </ul>
 * The wait for that polls (through the embedded DynamoDB and Step Functions with the SDK, and the API) until a
 * deadline, or until everything still missing can no longer change: an ended execution whose work is not done, a task
 * or job FAILED, a command FINISHED with a wrong read model. The failure lists what is missing, grouped, with examples.
 * <p>
 * Settings (system properties): {@code chaos.seed} (the kill moments and the publishing order; printed),
 * {@code chaos.kills} (3; 0 runs the same workload without a kill), {@code chaos.entities} (50), {@code chaos.versions} (4), {@code chaos.rows} (3000 per
 * import), {@code chaos.task-items} (20), {@code chaos.publish-interval-ms} (40), {@code chaos.settle-seconds} (how
 * long after the last restart the work may take to finish: at most that, 100, and at least 60 s, but otherwise no
 * longer than {@code chaos.budget-seconds}, 150, after the test's start), {@code chaos.jar} (run that jar with
 * {@code java -jar} instead of target/classes and the runtime classpath). Logs and a report stay in
 * target/chaos/run-&lt;seed&gt;-&lt;time&gt;/.
 */
class ChaosTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DIRECT_TENANT = "chaos-direct";
    private static final String SFN_TENANT = "chaos-sfn";
    private static final String TASK_TYPE = "demo"; // routes/task-demo.camel.yaml, packaged with the service

    private final long seed = Long.getLong("chaos.seed", 20250601L);
    private final int kills = Integer.getInteger("chaos.kills", 3);
    private final int entities = Integer.getInteger("chaos.entities", 50);
    private final int versions = Integer.getInteger("chaos.versions", 4);
    private final int rows = Integer.getInteger("chaos.rows", 3000);
    private final int taskItems = Integer.getInteger("chaos.task-items", 20);
    private final long publishInterval = Long.getLong("chaos.publish-interval-ms", 40);
    private final long settleSeconds = Long.getLong("chaos.settle-seconds", 100);
    /** The whole test should end within this (CI); the settling gets at least 60 s after the last restart. */
    private final long budgetSeconds = Long.getLong("chaos.budget-seconds", 150);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final List<String> log = new ArrayList<>();
    private ServiceProcess service;
    private Thread publisherThread;
    private CommandPublisher publisher;
    private DynamoDbClient dynamo;
    private S3Client s3;
    private SfnClient sfn;

    /** A piece of work submitted through the API and acknowledged. */
    private record Task(String pk, String sk, int life) {
    }

    private record Job(String id, String sk, String mode, String tenant, int life) {
    }

    private final List<Task> tasks = new ArrayList<>();
    private final List<Job> jobs = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        if (publisher != null) {
            publisher.stop();
        }
        if (publisherThread != null) {
            publisherThread.interrupt();
            publisherThread.join(5000);
        }
        if (service != null) {
            service.close();
        }
        for (AutoCloseable client : new AutoCloseable[] {dynamo, s3, sfn}) {
            if (client != null) {
                client.close();
            }
        }
    }

    @Test
    void everyAcknowledgedPieceOfWorkEndsDoneAfterRepeatedKillNine() throws Exception {
        long testStart = System.nanoTime();
        Random random = new Random(seed);
        Path workDir = Files.createDirectories(Path.of("target", "chaos").toAbsolutePath())
                .resolve("run-" + seed + "-" + System.currentTimeMillis());
        Files.createDirectories(workDir);
        say("seed %d (-Dchaos.seed=%d to repeat the schedule); %d kills, %d entities x %d versions, %d rows per "
                + "import, tasks of %d items; working directory %s", seed, seed, kills, entities, versions, rows,
                taskItems, workDir);

        service = new ServiceProcess(workDir);
        say("the service: %s; ports: business %d, management %d, SQS %d, S3 %d, DynamoDB %d, Step Functions %d",
                service.describe(), service.serverPort, service.managementPort, service.sqsPort, service.s3Port,
                service.dynamoDbPort, service.stepFunctionsPort);
        Path serviceLog = service.start();
        long firstReady = service.awaitReady(Duration.ofSeconds(120), serviceLog);
        say("life 0: pid %d ready in %d ms (fresh data directory)", service.pid(), firstReady);
        clients();
        String bucket = ServiceProcess.PREFIX + "bucket";
        s3.putObject(b -> b.bucket(bucket).key("chaos/direct.csv"), RequestBody.fromString(csv("d")));
        s3.putObject(b -> b.bucket(bucket).key("chaos/sfn.csv"), RequestBody.fromString(csv("s")));

        publisher = new CommandPublisher(service::api, seed, entities, versions, publishInterval);
        publisherThread = new Thread(publisher, "chaos-publisher");
        publisherThread.setDaemon(true);
        publisherThread.start();

        List<Long> readyMillis = new ArrayList<>();
        List<Long> stallMillis = new ArrayList<>();
        for (int life = 0; life < kills; life++) {
            // this life's work: a task, an import in the first two lives; once the service works on the task (its
            // stream flows: after a kill -9 the stream leases of the dead process must expire first), the next wave
            // of commands; the kill a seeded random moment after, while all of it is in flight
            Task task = submitTask(life);
            if (life == 0) {
                submitImport("DIRECT", DIRECT_TENANT, "chaos/direct.csv", life);
            }
            if (life == 1) {
                submitImport("STEP_FUNCTION", SFN_TENANT, "chaos/sfn.csv", life);
            }
            long stall = awaitTaskTaken(task, Duration.ofSeconds(90));
            stallMillis.add(stall);
            if (life < versions) {
                publisher.releaseWave();
            }
            long killAfter = 500 + random.nextInt(2500);
            Thread.sleep(killAfter);
            long pid = service.pid();
            int published = publisher.publishedCount();
            int exit = service.kill();
            say("kill %d: SIGKILL pid %d (exit %d) %d ms after the life's task was taken from its stream (%d ms "
                    + "after it was submitted); %d of %d commands written so far", life + 1, pid, exit, killAfter,
                    stall, published, publisher.planned());
            serviceLog = service.start();
            long ready = service.awaitReady(Duration.ofSeconds(120), serviceLog);
            readyMillis.add(ready);
            say("life %d: pid %d ready in %d ms after the restart", life + 1, service.pid(), ready);
        }
        // with fewer kills (-Dchaos.kills=0 is the run without chaos), the rest of the workload in the last life
        if (kills == 0) {
            submitTask(0);
            submitImport("DIRECT", DIRECT_TENANT, "chaos/direct.csv", 0);
        }
        if (kills <= 1) {
            submitImport("STEP_FUNCTION", SFN_TENANT, "chaos/sfn.csv", kills);
        }
        for (int wave = kills; wave < versions; wave++) {
            publisher.releaseWave();
        }
        long lastReady = System.nanoTime();

        // the rest of the commands, then everything must settle
        long deadline = Math.min(lastReady + Duration.ofSeconds(settleSeconds).toNanos(),
                Math.max(lastReady + Duration.ofSeconds(60).toNanos(),
                        testStart + Duration.ofSeconds(budgetSeconds).toNanos()));
        while (!publisher.done() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        say("publisher %s: %d of %d commands written (%d acknowledged 201, %d lost responses that had written, "
                        + "%d lost responses retried with 201, %d refused connections, %d 404 pages before the API "
                        + "routes started, %d 5xx), %d errors", publisher.done() ? "done" : "NOT DONE",
                publisher.publishedCount(), publisher.planned(), publisher.acked.get(), publisher.lostButWritten.get(),
                publisher.lostNotWritten.get(), publisher.refused.get(), publisher.notRouted.get(),
                publisher.serverErrors.get(), publisher.errors.size());

        Report report = null;
        while (System.nanoTime() < deadline) {
            report = verify();
            if (report.pending == 0) {
                break;
            }
            Thread.sleep(3000);
        }
        if (report == null || report.pending > 0) {
            report = verify();
        }
        long settled = (System.nanoTime() - lastReady) / 1_000_000;
        say("after the last restart: %s in %d ms", report.pending == 0 && report.stuck == 0 ? "all done"
                : report.pending == 0 ? "nothing can change any more" : "deadline reached", settled);
        say("counts: %d commands written (%d acknowledged, %d lost-response-but-written) of %d planned; %d rows "
                        + "per import x 2; %d tasks of %d items; %d kills; ready after each restart (ms) %s; "
                        + "from a life's submissions to its task taken from the tasks stream (ms) %s; total %d s",
                publisher.publishedCount(), publisher.acked.get(), publisher.lostButWritten.get(),
                publisher.planned(), rows, tasks.size(), taskItems, kills, readyMillis, stallMillis,
                (System.nanoTime() - testStart) / 1_000_000_000);
        say("%s", report.text);
        Files.write(workDir.resolve("report.txt"), log, StandardCharsets.UTF_8);

        List<String> failures = new ArrayList<>(publisher.errors.stream().map(e -> "publish: " + e).toList());
        if (!publisher.done()) {
            failures.add("publish: only " + publisher.publishedCount() + " of " + publisher.planned()
                    + " commands written before the deadline");
        }
        if (report.pending + report.stuck > 0) {
            failures.add(report.text);
        }
        if (!failures.isEmpty()) {
            fail("seed " + seed + ", " + kills + " kills, logs in " + workDir + ":\n" + String.join("\n", failures));
        }
    }

    // ---------------------------------------------------------------------------------------------- workload

    private String csv(String prefix) {
        StringBuilder csv = new StringBuilder("code,name,qty\n");
        for (int i = 1; i <= rows; i++) {
            csv.append(prefix).append(String.format("%05d", i)).append(",row ").append(i).append(',').append(i)
                    .append('\n');
        }
        return csv.toString();
    }

    private Task submitTask(int life) {
        ArrayNode items = JSON.createArrayNode();
        for (int i = 0; i < taskItems; i++) {
            items.addObject().put("n", i).put("life", life);
        }
        ObjectNode body = JSON.createObjectNode().put("taskType", TASK_TYPE).put("tenantCode", "chaos-task");
        body.set("input", items);
        JsonNode task = post("/tasks/step-function", body, 201);
        Task submitted = new Task(task.path("pk").asText(), task.path("sk").asText(), life);
        tasks.add(submitted);
        say("life %d: step-function task %s / %s of %d items submitted", life, task.path("pk").asText(),
                task.path("sk").asText(), taskItems);
        return submitted;
    }

    /** Waits until the task's stream record was read (the task is no longer CREATED); returns how long it took. */
    private long awaitTaskTaken(Task task, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        JsonNode t = null;
        while (System.nanoTime() < deadline) {
            t = get("/tasks?pk=" + enc(task.pk()) + "&sk=" + enc(task.sk()));
            if (t.has("status") && !"CREATED".equals(t.path("status").asText())) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("The task " + task.sk() + " of life " + task.life() + " was still not taken from "
                + "the tasks stream " + timeout.toSeconds() + " s after it was written: " + t);
    }

    private void submitImport(String mode, String tenant, String key, int life) {
        ObjectNode body = JSON.createObjectNode().put("bucket", ServiceProcess.PREFIX + "bucket").put("key", key)
                .put("tableName", CommandPublisher.MODULE).put("tenantCode", tenant).put("processingMode", mode);
        JsonNode job = post("/imports/csv", body, 202);
        jobs.add(new Job(job.path("id").asText(), job.path("sk").asText(), mode, tenant, life));
        say("life %d: %s import %s of %d rows submitted", life, mode, job.path("id").asText(), rows);
    }

    /** A submission while the service runs: it must be acknowledged. */
    private JsonNode post(String path, JsonNode body, int expected) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(service.api() + path))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new AssertionError("POST " + path + " " + body + ": " + response.statusCode() + " "
                        + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("POST " + path + " got no answer from the running service", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private JsonNode get(String path) throws InterruptedException {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(service.api() + path))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return JSON.createObjectNode().put("httpStatus", response.statusCode()).put("body", response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            return JSON.createObjectNode().put("httpStatus", 0).put("body", e.toString());
        }
    }

    private void clients() {
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create("local", "local"));
        dynamo = DynamoDbClient.builder().endpointOverride(service.endpoint(service.dynamoDbPort))
                .region(Region.US_EAST_1).credentialsProvider(credentials).build();
        s3 = S3Client.builder().endpointOverride(service.endpoint(service.s3Port)).forcePathStyle(true)
                .region(Region.US_EAST_1).credentialsProvider(credentials).build();
        sfn = SfnClient.builder().endpointOverride(service.endpoint(service.stepFunctionsPort))
                .region(Region.US_EAST_1).credentialsProvider(credentials).build();
    }

    // ---------------------------------------------------------------------------------------------- verification

    /** What is still missing: pending (may still come) and stuck (can no longer change), grouped. */
    private static final class Report {
        int ok;
        int pending;
        int stuck;
        final Map<String, List<String>> groups = new TreeMap<>();
        String text;

        void ok() {
            ok++;
        }

        void pending(String group, String example) {
            pending++;
            groups.computeIfAbsent("PENDING " + group, g -> new ArrayList<>()).add(example);
        }

        void stuck(String group, String example) {
            stuck++;
            groups.computeIfAbsent("STUCK   " + group, g -> new ArrayList<>()).add(example);
        }

        Report finish(String summary) {
            StringBuilder out = new StringBuilder(summary);
            groups.forEach((group, examples) -> out.append("\n  ").append(examples.size()).append(" x ")
                    .append(group).append(": ").append(String.join("; ", examples.subList(0, Math.min(3,
                            examples.size())))).append(examples.size() > 3 ? "; ..." : ""));
            text = out.toString();
            return this;
        }
    }

    private Report verify() throws InterruptedException {
        try {
            return verifyOnce();
        } catch (RuntimeException e) {
            Report report = new Report();
            report.pending("verification could not read the service", e.toString());
            return report.finish("verification failed to read: " + e);
        }
    }

    private Report verifyOnce() throws InterruptedException {
        Report report = new Report();
        String commands = verifyCommands(report);
        String taskSummary = verifyTasks(report);
        String importSummary = verifyImports(report);
        return report.finish("verification: " + commands + "; " + taskSummary + "; " + importSummary);
    }

    private String table(String suffix) {
        return ServiceProcess.PREFIX + CommandPublisher.MODULE + "-" + suffix;
    }

    private List<Map<String, AttributeValue>> query(String table, String pk) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        dynamo.queryPaginator(b -> b.tableName(table).consistentRead(true).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk)))).items().forEach(items::add);
        return items;
    }

    private static String s(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s() != null ? value.s() : value.n();
    }

    private static long version(Map<String, AttributeValue> item) {
        String v = s(item, "version");
        return v == null ? -1 : Long.parseLong(v);
    }

    private static String attribute(Map<String, AttributeValue> item, String name) {
        AttributeValue attributes = item.get("attributes");
        if (attributes == null || !attributes.hasM() || !attributes.m().containsKey(name)) {
            return null;
        }
        AttributeValue value = attributes.m().get(name);
        return value.s() != null ? value.s() : value.n();
    }

    /**
     * Commands through the embedded DynamoDB (one query per table): each written version finish:FINISHED; then the
     * read model at the last version and the history with every earlier one. For an entity not done, the execution
     * of its first unfinished version tells whether it may still finish.
     */
    private String verifyCommands(Report report) {
        Map<String, Map<Long, Map<String, AttributeValue>>> commands = new HashMap<>();
        for (Map<String, AttributeValue> item : query(table("command"), CommandPublisher.PK)) {
            String sk = s(item, "sk");
            commands.computeIfAbsent(sk.substring(0, sk.lastIndexOf('@')), k -> new TreeMap<>())
                    .put(version(item), item);
        }
        Map<String, Map<String, AttributeValue>> data = new HashMap<>();
        for (Map<String, AttributeValue> item : query(table("data"), CommandPublisher.PK)) {
            data.put(s(item, "sk"), item);
        }
        Map<String, TreeSet<Long>> history = new HashMap<>();
        for (Map<String, AttributeValue> item : query(table("history"), CommandPublisher.PK)) {
            String sk = s(item, "sk");
            history.computeIfAbsent(sk.substring(0, sk.lastIndexOf('@')), k -> new TreeSet<>())
                    .add(Long.parseLong(sk.substring(sk.lastIndexOf('@') + 1)));
        }
        Map<String, Integer> byStatus = new TreeMap<>();
        commands.values().forEach(stored -> stored.values().forEach(item ->
                byStatus.merge(String.valueOf(s(item, "status")), 1, Integer::sum)));

        int entitiesDone = 0;
        for (int e = 1; e <= entities; e++) {
            String sk = CommandPublisher.sk(e);
            Map<Integer, CommandPublisher.Outcome> written = publisher.written.getOrDefault(e, Map.of());
            Map<Long, Map<String, AttributeValue>> stored = commands.getOrDefault(sk, Map.of());
            int last = written.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
            if (!publisher.done() && last < versions) {
                report.pending("command entity not fully published yet", sk + " written up to @" + last);
                continue;
            }
            boolean problem = false;
            for (int v : written.keySet()) {
                if (!stored.containsKey((long) v)) {
                    report.stuck("command version acknowledged but not in the command table (lost write)",
                            sk + "@" + v + " (" + written.get(v) + ")");
                    problem = true;
                }
            }
            for (long v : stored.keySet()) {
                if (v < 1 || v > last) {
                    report.stuck("command version in the table that was never acknowledged",
                            sk + "@" + v + " requestId " + s(stored.get(v), "requestId"));
                    problem = true;
                }
            }
            if (problem) {
                continue;
            }
            // every version not finish:FINISHED: its execution tells whether it may still get there (a later
            // version does not necessarily wait for it: check_version only looks at the read model's version)
            Map<String, AttributeValue> current = data.get(sk);
            String entityState = "read model @" + (current == null ? "-" : version(current)) + ", history "
                    + history.getOrDefault(sk, new TreeSet<>());
            boolean unfinished = false;
            boolean previousStuck = false;
            for (int v = 1; v <= last; v++) {
                String status = s(stored.get((long) v), "status");
                if ("finish:FINISHED".equals(status)) {
                    previousStuck = false;
                    continue;
                }
                unfinished = true;
                String execution = describe(executionArn("command-handler",
                        ExecutionNames.of(CommandPublisher.MODULE, CommandPublisher.PK, sk + "@" + v)));
                String where = sk + "@" + v + " of @" + last + " (" + entityState + ")";
                boolean running = execution.startsWith("RUNNING") || execution.startsWith("none");
                if (!running) {
                    // the table was read before the execution was described: the status may have moved since
                    String key = sk + "@" + v;
                    status = s(dynamo.getItem(b -> b.tableName(table("command")).consistentRead(true).key(Map.of(
                            "pk", AttributeValue.fromS(CommandPublisher.PK),
                            "sk", AttributeValue.fromS(key)))).item(), "status");
                    if ("finish:FINISHED".equals(status)) {
                        report.pending("command finished while it was verified", sk + "@" + v);
                        previousStuck = false;
                        continue;
                    }
                }
                if (running && previousStuck && String.valueOf(status).startsWith("wait_prev_command")) {
                    // only the previous version's finish resumes it, and that execution has ended (or waits too)
                    report.stuck("command waiting at " + status + " (execution RUNNING) for an earlier version "
                            + "that cannot finish", where);
                } else if (running) {
                    report.pending("command at " + status + ", execution " + execution.split(" ")[0], where);
                    previousStuck = false;
                    continue;
                } else {
                    report.stuck("command not finish:FINISHED but at " + status + ", its execution " + execution,
                            where);
                }
                previousStuck = true;
            }
            if (unfinished) {
                continue;
            }
            Map<String, AttributeValue> record = data.get(sk);
            TreeSet<Long> expectedHistory = new TreeSet<>();
            for (long v = 1; v < last; v++) {
                expectedHistory.add(v);
            }
            if (record == null || version(record) != last || !String.valueOf(last).equals(attribute(record, "v"))) {
                report.stuck("read model not at the last version although every version FINISHED",
                        sk + ": data " + (record == null ? "missing" : "version " + version(record) + ", attributes.v "
                                + attribute(record, "v")) + ", last version " + last);
            } else if (!expectedHistory.equals(history.getOrDefault(sk, new TreeSet<>()))) {
                report.stuck("history does not hold every earlier version",
                        sk + ": history " + history.getOrDefault(sk, new TreeSet<>()) + ", expected " + expectedHistory);
            } else {
                report.ok();
                entitiesDone++;
            }
        }
        return String.format("commands: %d of %d entities done, statuses %s", entitiesDone, entities, byStatus);
    }

    private String verifyTasks(Report report) throws InterruptedException {
        int done = 0;
        for (Task task : tasks) {
            JsonNode t = get("/tasks?pk=" + enc(task.pk()) + "&sk=" + enc(task.sk()));
            String status = t.path("status").asText();
            JsonNode a = t.path("attributes");
            String counts = String.format("status %s, subTaskCount %s, succeeded %s, failed %s, running %s",
                    status, a.path("subTaskCount").asText("-"), a.path("subTaskSucceedCount").asText("-"),
                    a.path("subTaskFailedCount").asText("-"), a.path("subTaskRunningCount").asText("-"));
            String where = "task of life " + task.life() + " " + task.sk() + ": " + counts;
            boolean rightCounts = a.path("subTaskCount").asInt() == taskItems
                    && a.path("subTaskSucceedCount").asInt() == taskItems && a.path("subTaskFailedCount").asInt() == 0
                    && a.path("subTaskRunningCount").asInt() == 0;
            int completedRows = 0;
            for (JsonNode row : t.path("subTaskRows")) {
                completedRows += "COMPLETED".equals(row.path("status").asText()) ? 1 : 0;
            }
            if ("COMPLETED".equals(status) && rightCounts && completedRows == taskItems) {
                report.ok();
                done++;
            } else if ("COMPLETED".equals(status)) {
                report.stuck("task COMPLETED with wrong counts", where + ", sub-task rows COMPLETED " + completedRows);
            } else if ("FAILED".equals(status)) {
                report.stuck("task FAILED (executionStatus " + a.path("executionStatus").asText("-") + ", error "
                        + a.path("error").asText("-") + ")", where + ", cause " + a.path("cause").asText("-"));
            } else {
                String arn = a.path("executionArn").asText("");
                String execution = arn.isEmpty() ? "none" : describe(arn);
                if (execution.startsWith("RUNNING") || execution.startsWith("SUCCEEDED")
                        || execution.startsWith("none")) {
                    report.pending("task " + status + ", execution " + execution.split(" ")[0], where);
                } else {
                    // the watcher will fail it; it cannot complete any more
                    report.stuck("task " + status + " while its execution ended: " + execution, where);
                }
            }
        }
        return String.format("tasks: %d of %d COMPLETED with %d of %d sub-tasks", done, tasks.size(), taskItems,
                taskItems);
    }

    private String verifyImports(Report report) throws InterruptedException {
        List<String> summaries = new ArrayList<>();
        for (Job job : jobs) {
            // the job first, then the tables: rows are only ever added, so what the job counts must be there
            JsonNode j = get("/imports?id=" + enc(job.id()));
            Rows rows = rows(job);
            String status = j.path("status").asText();
            Map<String, Long> counters = new LinkedHashMap<>();
            for (String c : List.of("totalRows", "readRows", "queuedRows", "succeededRows", "failedRows",
                    "processedRows")) {
                counters.put(c, j.path(c).asLong(-1));
            }
            String where = job.mode() + " " + job.id() + ": " + status + " " + counters + ", readerDone "
                    + j.path("readerDone").asText("-") + "; in the tables " + rows.summary();
            summaries.add(job.mode() + " " + status + " " + counters);
            boolean rightCounters = counters.get("totalRows") == this.rows && counters.get("readRows") == this.rows
                    && counters.get("succeededRows") == this.rows && counters.get("failedRows") == 0
                    && counters.get("processedRows") == this.rows;
            String execution = "STEP_FUNCTION".equals(job.mode()) ? describe(executionArn("import-csv",
                    importExecutionName(job))) : "none (DIRECT)";
            if (!rows.torn.isEmpty()) {
                report.stuck(job.mode() + " import rows whose command is written (finish:FINISHED) but whose data "
                        + "record is missing", where + "; e.g. " + rows.torn.subList(0, Math.min(5, rows.torn.size())));
            } else if (counters.get("succeededRows") > rows.data) {
                report.stuck(job.mode() + " import counts more rows applied than the read model holds", where);
            } else if ("COMPLETED".equals(status) && rightCounters) {
                String problem = rows.exactlyOnceProblem(this.rows);
                if (problem == null) {
                    report.ok();
                } else {
                    report.stuck(job.mode() + " import COMPLETED but its rows not applied exactly once",
                            where + ": " + problem);
                }
            } else if ("COMPLETED".equals(status) || "FAILED".equals(status)) {
                report.stuck(job.mode() + " import " + status + (rightCounters ? "" : " with wrong counters"),
                        where + ", first row errors " + first(j.path("rowErrors"), 3) + ", result "
                                + j.path("result"));
            } else if (!execution.startsWith("RUNNING") && !execution.startsWith("none")) {
                report.stuck(job.mode() + " import " + status + " while its execution ended: " + execution, where);
            } else {
                report.pending(job.mode() + " import " + status + ", execution " + execution.split(" ")[0], where);
            }
        }
        return "imports: " + summaries;
    }

    private static String first(JsonNode array, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.min(n, array.size()); i++) {
            out.add(array.get(i).toString());
        }
        return out.toString();
    }

    /** What an import's tenant holds in the module's tables. */
    private static final class Rows {
        final String prefix;
        int data;
        int commands;
        int history;
        final TreeSet<String> dataCodes = new TreeSet<>();
        /** rows whose data record is not version 1 with the row's qty */
        final List<String> wrong = new ArrayList<>();
        /** commands other than version 1 */
        final List<String> extraCommands = new ArrayList<>();
        /** codes whose command is there and whose data record is not */
        final List<String> torn = new ArrayList<>();

        Rows(String prefix) {
            this.prefix = prefix;
        }

        String summary() {
            return data + " data records, " + commands + " commands, " + history + " history records";
        }

        String exactlyOnceProblem(int rows) {
            List<String> missing = new ArrayList<>();
            for (int i = 1; i <= rows && missing.size() < 5; i++) {
                String code = prefix + String.format("%05d", i);
                if (!dataCodes.contains(code)) {
                    missing.add(code);
                }
            }
            if (data == rows && commands == rows && history == 0 && wrong.isEmpty() && extraCommands.isEmpty()
                    && missing.isEmpty()) {
                return null;
            }
            return String.format("expected %d data records at version 1, %d commands @1, no history; missing %s; "
                            + "wrong records %s; commands other than @1 %s", rows, rows, missing,
                    wrong.subList(0, Math.min(5, wrong.size())),
                    extraCommands.subList(0, Math.min(5, extraCommands.size())));
        }
    }

    /** Exactly once: one data record per row, at version 1 with the row's values, one command each, no history. */
    private Rows rows(Job job) {
        String pk = "SAMPLE#" + job.tenant();
        Rows rows = new Rows("DIRECT".equals(job.mode()) ? "d" : "s");
        // commands first: a row's command and data record are written in one transaction, so every command read
        // here has its data record by the time the data is read
        List<Map<String, AttributeValue>> commands = query(table("command"), pk);
        for (Map<String, AttributeValue> record : query(table("data"), pk)) {
            String code = s(record, "sk");
            rows.data++;
            rows.dataCodes.add(code);
            int n = Integer.parseInt(code.substring(1));
            if (version(record) != 1 || !String.valueOf(n).equals(attribute(record, "qty"))) {
                rows.wrong.add(code + " version " + version(record) + " qty " + attribute(record, "qty"));
            }
        }
        for (Map<String, AttributeValue> command : commands) {
            String sk = s(command, "sk");
            rows.commands++;
            String code = sk.substring(0, sk.lastIndexOf('@'));
            if (version(command) != 1) {
                rows.extraCommands.add(sk);
            }
            if (!rows.dataCodes.contains(code)) {
                rows.torn.add(sk + " (" + s(command, "status") + ", no data record " + code + ")");
            }
        }
        rows.history = query(table("history"), pk).size();
        return rows;
    }

    /** As ImportActions.executionName names the job's execution. */
    private static String importExecutionName(Job job) {
        String name = (job.tenant() + "-" + job.sk()).replaceAll("[^A-Za-z0-9_-]", "-");
        return name.length() > 80 ? name.substring(name.length() - 80) : name;
    }

    private static String executionArn(String machine, String name) {
        return "arn:aws:states:us-east-1:" + ServiceProcess.ACCOUNT + ":execution:" + ServiceProcess.PREFIX + machine
                + ":" + name;
    }

    /** "STATUS (error: cause)" of an execution, or "none" when it does not exist (yet). */
    private String describe(String arn) {
        try {
            DescribeExecutionResponse execution = sfn.describeExecution(b -> b.executionArn(arn));
            String status = execution.statusAsString();
            if (execution.error() == null && execution.cause() == null) {
                return status;
            }
            String cause = String.valueOf(execution.cause());
            return status + " (" + execution.error() + ": " + (cause.length() > 200 ? cause.substring(0, 200) + "..."
                    : cause) + ")";
        } catch (ExecutionDoesNotExistException e) {
            return "none";
        }
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private static void sleepUntil(long startNanos, long offsetMillis) throws InterruptedException {
        long wait = offsetMillis - (System.nanoTime() - startNanos) / 1_000_000;
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }

    private void say(String format, Object... args) {
        String line = "[chaos] " + String.format(format, args);
        log.add(line);
        System.out.println(line);
    }
}
