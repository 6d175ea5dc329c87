package io.cqrsworkers.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.config.AppConfiguration;
import io.cqrsworkers.resources.ResourceDescription;
import io.cqrsworkers.support.Http;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The console's JSON API against the embedded AWS: what each view reads, and how it pages. */
@CamelMainTest(configurationClasses = AppConfiguration.class)
class ConsoleApiTest extends ConsoleTestSupport {

    @Test
    void servesThePageAndItsAssetsAndNothingElse() {
        Http.Response page = Http.get(base() + "/console/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<title>cqrs-workers console</title>").contains("/console/assets/app.js");
        assertThat(Http.get(base() + "/console").status()).isEqualTo(200);
        assertThat(Http.get(base() + "/console/assets/graph.js").body()).contains("window.StateGraph");
        assertThat(Http.get(base() + "/console/assets/missing.js").status()).isEqualTo(404);
        assertThat(Http.get(base() + "/console/assets/..%2Fapplication.properties").status()).isEqualTo(404);
        assertThat(parse(Http.get(base() + "/console/api/info").body()).path("readOnly").asBoolean()).isFalse();
    }

    @Test
    void followsACommandFromItsTableToItsExecutionGraph() {
        String executionName = publish("ORDER#console-api");
        String machine = machineArn("command-handler");
        JsonNode page = await().atMost(Duration.ofSeconds(60)).until(() -> get("/executions?machine=" + q(machine)
                + "&status=SUCCEEDED&name=" + q(executionName)), p -> p.path("executions").size() == 1);
        String arn = page.path("executions").get(0).path("executionArn").asText();

        JsonNode commands = get("/commands/sample?pk=" + q("ORDER#t1"));
        JsonNode entity = find(commands.path("commands"), "sk", "ORDER#console-api");
        assertThat(entity.path("versions").get(0).path("status").asText()).isEqualTo("finish:FINISHED");
        assertThat(entity.path("versions").get(0).path("executionName").asText()).isEqualTo(executionName);
        assertThat(get("/modules").path("chain").toString()).contains("check_version", "finish")
                .doesNotContain("wait_prev_command_failed");
        assertThat(get("/commands/sample").path("commands")).isNotEmpty();
        assertThat(Http.get(base() + "/console/api/commands/nope").status()).isEqualTo(404);

        JsonNode execution = get("/execution?arn=" + q(arn));
        assertThat(execution.path("execution").path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(execution.path("definition").path("StartAt").asText()).isEqualTo("check_version");
        JsonNode states = execution.path("states");
        assertThat(states.path("check_version").path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(states.path("finish").path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(states.path("fail").path("status").asText()).isEqualTo("NOT_REACHED");
        // the Map's inner states are there, nested in the definition, with what happened to them
        assertThat(states.path("sync_data").path("status").asText()).isEqualTo("SUCCEEDED");
        JsonNode entry = states.path("check_version").path("entries").get(0);
        assertThat(entry.path("input").isObject()).isTrue();
        assertThat(entry.path("output").isObject()).isTrue();
        JsonNode events = execution.path("events");
        assertThat(events.get(0).path("type").asText()).isEqualTo("ExecutionStarted");
        assertThat(events.get(events.size() - 1).path("type").asText()).isEqualTo("ExecutionSucceeded");
        assertThat(events).anyMatch(e -> e.path("type").asText().equals("TaskSubmitted")
                && e.path("state").asText().equals("check_version"));
    }

    @Test
    void colorsEachStateByWhatHappenedToIt() {
        String machine = aws.sfn().createStateMachine(b -> b.name(prefix() + "console-outcomes").roleArn(ROLE)
                .definition("""
                        {"StartAt": "send", "States": {
                          "send": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
                                   "Parameters": {"QueueUrl": "http://127.0.0.1:1/000000000000/none", "MessageBody": "x"},
                                   "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "each"}],
                                   "Next": "never"},
                          "never": {"Type": "Pass", "End": true},
                          "each": {"Type": "Map", "ItemsPath": "$.items", "Next": "both",
                                   "ItemProcessor": {"StartAt": "item", "States": {"item": {"Type": "Pass", "End": true}}}},
                          "both": {"Type": "Parallel", "Next": "stop", "Branches": [
                                   {"StartAt": "left", "States": {"left": {"Type": "Pass", "End": true}}},
                                   {"StartAt": "right", "States": {"right": {"Type": "Pass", "End": true}}}]},
                          "stop": {"Type": "Fail", "Error": "Console.Test", "Cause": "the end"}}}""")).stateMachineArn();
        String arn = aws.sfn().startExecution(b -> b.stateMachineArn(machine).input("{\"items\":[1,2,3]}")).executionArn();
        JsonNode execution = await().atMost(Duration.ofSeconds(30)).until(() -> get("/execution?arn=" + q(arn)),
                e -> e.path("execution").path("status").asText().equals("FAILED"));
        JsonNode states = execution.path("states");
        assertThat(states.path("send").path("status").asText()).isEqualTo("CAUGHT");
        assertThat(states.path("send").path("entries").get(0).path("error").asText()).isNotBlank();
        assertThat(states.path("never").path("status").asText()).isEqualTo("NOT_REACHED");
        assertThat(states.path("each").path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(states.path("item").path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(states.path("item").path("entered").asInt()).isEqualTo(3);
        assertThat(states.path("left").path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(states.path("right").path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(states.path("stop").path("status").asText()).isEqualTo("FAILED");
        assertThat(states.path("stop").path("entries").get(0).path("error").asText()).isEqualTo("Console.Test");
    }

    @Test
    void showsATaskWaitingForItsCallback() {
        String queueUrl = aws.sqs().getQueueUrl(b -> b.queueName(prefix() + "stream-dead-letter-queue-dlq")).queueUrl();
        String machine = aws.sfn().createStateMachine(b -> b.name(prefix() + "console-waiting").roleArn(ROLE)
                .definition("""
                        {"StartAt": "ask", "States": {
                          "ask": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                                  "Parameters": {"QueueUrl": "%s", "MessageBody": {"token.$": "$$.Task.Token"}},
                                  "End": true}}}""".formatted(queueUrl))).stateMachineArn();
        String arn = aws.sfn().startExecution(b -> b.stateMachineArn(machine).input("{}")).executionArn();
        try {
            JsonNode execution = await().atMost(Duration.ofSeconds(30)).until(() -> get("/execution?arn=" + q(arn)),
                    e -> e.path("states").path("ask").path("status").asText().equals("WAITING"));
            assertThat(execution.path("execution").path("status").asText()).isEqualTo("RUNNING");
        } finally {
            aws.sfn().stopExecution(b -> b.executionArn(arn));
            aws.sqs().purgeQueue(b -> b.queueUrl(queueUrl));
        }
        assertThat(get("/execution?arn=" + q(arn)).path("states").path("ask").path("status").asText())
                .isEqualTo("ABORTED");
    }

    @Test
    void pagesExecutionsOnTheServerNewestFirstWithStatusAndNameFilters() {
        String machine = aws.sfn().createStateMachine(b -> b.name(prefix() + "console-paging").roleArn(ROLE)
                .definition("{\"StartAt\":\"p\",\"States\":{\"p\":{\"Type\":\"Pass\",\"End\":true}}}")).stateMachineArn();
        int count = 230;
        for (int i = 0; i < count; i++) {
            String name = String.format("run-%04d%s", i, i % 10 == 0 ? "-tenth" : "");
            aws.sfn().startExecution(b -> b.stateMachineArn(machine).name(name).input("{}"));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> aws.sfn().listExecutionsPaginator(b -> b
                .stateMachineArn(machine).statusFilter("SUCCEEDED")).executions().stream().count() == count);

        List<String> names = new ArrayList<>();
        String token = null;
        do {
            JsonNode page = get("/executions?machine=" + q(machine) + "&pageSize=100"
                    + (token == null ? "" : "&nextToken=" + q(token)));
            assertThat(page.path("executions").size()).isLessThanOrEqualTo(100);
            page.path("executions").forEach(e -> names.add(e.path("name").asText()));
            token = page.path("nextToken").asText(null);
        } while (token != null);
        assertThat(names).hasSize(count).doesNotHaveDuplicates();
        assertThat(names.get(0)).startsWith("run-0229");
        assertThat(names.get(count - 1)).isEqualTo("run-0000-tenth");

        // the name filter pages too: 23 matches in pages of 10
        Set<String> tenths = new HashSet<>();
        token = null;
        int pages = 0;
        do {
            JsonNode page = get("/executions?machine=" + q(machine) + "&status=SUCCEEDED&name=TENTH&pageSize=10"
                    + (token == null ? "" : "&nextToken=" + q(token)));
            page.path("executions").forEach(e -> tenths.add(e.path("name").asText()));
            token = page.path("nextToken").asText(null);
            pages++;
        } while (token != null);
        assertThat(tenths).hasSize(23).allMatch(n -> n.endsWith("-tenth"));
        assertThat(pages).isEqualTo(3);
        assertThat(get("/executions?machine=" + q(machine) + "&status=RUNNING").path("executions")).isEmpty();
        assertThat(Http.get(base() + "/console/api/executions?machine=" + q(machine) + "&status=BOGUS").status())
                .isEqualTo(400);
        assertThat(Http.get(base() + "/console/api/execution?arn=" + q(machine.replace(":stateMachine:", ":execution:")
                + ":nope")).status()).isEqualTo(404);
    }

    /** The list page with 10,000 executions of one machine: one page is read, not all of them. */
    @Test
    void listsAPageQuicklyAmongTenThousandExecutions() throws Exception {
        String machine = aws.sfn().createStateMachine(b -> b.name(prefix() + "console-scale").roleArn(ROLE)
                .definition("{\"StartAt\":\"p\",\"States\":{\"p\":{\"Type\":\"Pass\",\"End\":true}}}")).stateMachineArn();
        int count = 10_000;
        long started = System.nanoTime();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<?>> starts = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String name = String.format("scale-%05d", i);
                starts.add(pool.submit(() -> aws.sfn().startExecution(b -> b.stateMachineArn(machine).name(name).input("{}"))));
            }
            for (java.util.concurrent.Future<?> start : starts) {
                start.get();
            }
        } finally {
            pool.shutdown();
        }
        long startMillis = (System.nanoTime() - started) / 1_000_000;
        await().atMost(Duration.ofMinutes(2)).until(() -> get("/executions?machine=" + q(machine) + "&status=RUNNING")
                .path("executions").isEmpty());

        long[] first = time(20, () -> get("/executions?machine=" + q(machine)));
        String token = get("/executions?machine=" + q(machine) + "&pageSize=50").path("nextToken").asText();
        long[] next = time(20, () -> get("/executions?machine=" + q(machine) + "&nextToken=" + q(token)));
        long[] succeeded = time(20, () -> get("/executions?machine=" + q(machine) + "&status=SUCCEEDED"));
        // a name filter reads all 10,000 on the server (ListExecutions has none) to find the one
        long[] byName = time(5, () -> assertThat(get("/executions?machine=" + q(machine) + "&name=scale-00042")
                .path("executions")).hasSize(1));
        System.out.printf("console scale: %d executions started in %d ms; list page p50/max ms: first %d/%d, "
                        + "next %d/%d, status filter %d/%d, name filter (full scan) %d/%d%n", count, startMillis,
                first[0], first[1], next[0], next[1], succeeded[0], succeeded[1], byName[0], byName[1]);
        assertThat(first[0]).isLessThan(500);
        assertThat(byName[0]).isLessThan(3000);
    }

    /** p50 and max milliseconds of {@code runs} calls. */
    private static long[] time(int runs, Runnable call) {
        long[] millis = new long[runs];
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            call.run();
            millis[i] = (System.nanoTime() - t) / 1_000_000;
        }
        java.util.Arrays.sort(millis);
        return new long[] {millis[runs / 2], millis[runs - 1]};
    }

    @Test
    void redrivesADeadLetterQueueIntoItsSource() {
        String source = aws.sqs().getQueueUrl(b -> b.queueName(prefix() + "stream-dead-letter-queue")).queueUrl();
        String dlq = aws.sqs().getQueueUrl(b -> b.queueName(prefix() + "stream-dead-letter-queue-dlq")).queueUrl();
        aws.sqs().purgeQueue(b -> b.queueUrl(source));
        aws.sqs().purgeQueue(b -> b.queueUrl(dlq));
        aws.sqs().sendMessage(b -> b.queueUrl(dlq).messageBody("{\"lost\":1}"));
        aws.sqs().sendMessage(b -> b.queueUrl(dlq).messageBody("{\"lost\":2}"));
        JsonNode row = find(get("/queues").path("queues"), "name", "stream-dead-letter-queue");
        assertThat(row.path("dlq").path("visible").asInt()).isEqualTo(2);

        Http.Response redrive = Http.post(base() + "/console/api/queues/stream-dead-letter-queue/redrive", "");
        assertThat(redrive.status()).as(redrive.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode now = find(get("/queues").path("queues"), "name", "stream-dead-letter-queue");
            assertThat(now.path("dlq").path("visible").asInt()).isZero();
            assertThat(now.path("queue").path("visible").asInt()).isEqualTo(2);
            assertThat(now.path("lastRedrive").path("status").asText()).isEqualTo("COMPLETED");
        });
        aws.sqs().purgeQueue(b -> b.queueUrl(source));
        assertThat(Http.post(base() + "/console/api/queues/no-such-queue/redrive", "").status()).isEqualTo(404);
        // read-only (the aws profile): the same request is refused
        QueueView readOnly = new QueueView(aws.sqs(), prefix(), ResourceDescription.load(), true);
        assertThatThrownBy(() -> readOnly.redrive("stream-dead-letter-queue"))
                .isInstanceOfSatisfying(ConsoleException.class, e -> assertThat(e.status()).isEqualTo(403));
    }

    @Test
    void showsImportsWithTheirRejectedRowsAndADistributedMapsChildren() throws Exception {
        JsonNode direct = importCsv("DIRECT");
        assertThat(direct.path("kind").asText()).isEqualTo("csv");
        assertThat(direct.path("readRows").asInt()).isEqualTo(3);
        assertThat(direct.path("succeededRows").asInt()).isEqualTo(2);
        assertThat(direct.path("failedRows").asInt()).isEqualTo(1);
        // the rejected row as the import stored it: its row number (the second data row) and reason
        JsonNode rejected = direct.path("rowErrors").get(0);
        assertThat(rejected.path("row").asLong()).isEqualTo(2);
        assertThat(rejected.path("reason").asText()).isEqualTo("row 2 (2): code and name are required");

        JsonNode mapped = importCsv("STEP_FUNCTION");
        assertThat(mapped.path("failedRows").asInt()).isEqualTo(1);
        assertThat(mapped.path("rowErrors")).isEqualTo(direct.path("rowErrors"));
        JsonNode runs = get("/executions?machine=" + q(machineArn("import-csv")) + "&pageSize=1");
        JsonNode execution = get("/execution?arn=" + q(runs.path("executions").get(0).path("executionArn").asText()));
        JsonNode mapRun = execution.path("mapRuns").get(0);
        assertThat(mapRun.path("status").asText()).isEqualTo("SUCCEEDED");
        JsonNode children = get("/map-run?arn=" + q(mapRun.path("mapRunArn").asText()));
        assertThat(children.path("executions").size()).isPositive();
        JsonNode child = get("/execution?arn=" + q(children.path("executions").get(0).path("executionArn").asText()));
        assertThat(child.path("execution").path("mapRunArn").asText()).isEqualTo(mapRun.path("mapRunArn").asText());
        assertThat(get("/tasks").has("tasks")).isTrue();
    }

    /** A three-row CSV with a short row on line 3, imported in this mode; the job once it ended. */
    private JsonNode importCsv(String mode) throws Exception {
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base()
                        + "/api/imports/csv?tableName=sample&tenantCode=t7&processingMode=" + mode))
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString("code,name,price\n1,apple,3\n2\n3,plum,5\n")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        String sk = parse(created.body()).path("sk").asText();
        return await().atMost(Duration.ofSeconds(60)).until(() -> {
            String token = null;
            do {
                JsonNode page = get("/imports" + (token == null ? "" : "?nextToken=" + q(token)));
                for (JsonNode j : page.path("imports")) {
                    if (j.path("sk").asText().equals(sk)) {
                        return j;
                    }
                }
                token = page.path("nextToken").asText(null);
            } while (token != null);
            return null;
        }, j -> j != null && !j.path("status").asText().matches("CREATED|QUEUED|PROCESSING"));
    }

    static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode node : array) {
            if (node.path(field).asText().equals(value)) {
                return node;
            }
        }
        throw new AssertionError("no " + field + "=" + value + " in " + array);
    }
}
