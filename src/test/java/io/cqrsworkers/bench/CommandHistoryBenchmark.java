package io.cqrsworkers.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.aws.AwsClients;
import org.apache.camel.main.Main;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.io.BufferedReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Bytes of Step Functions history per command: commands run through the whole pipeline on the embedded default
 * (service, SQS, DynamoDB, Step Functions with its data directory), then, for the command-handler executions:
 * <ul>
 * <li>on disk: the engine's journal lines of each execution (its start, every event and marker of the engine's own,
 * its end: what the journal holds of it until the next snapshot), and its history file (what stays once a snapshot
 * has dropped the journal lines: start and end line plus the file);</li>
 * <li>through the API: the bytes of every GetExecutionHistory answer (all pages of 1,000), with and without
 * {@code includeExecutionData}.</li>
 * </ul>
 * With {@code -Dbench.breakdown=true} it also prints the API bytes by event type and the journal bytes by line kind.
 *
 * <pre>
 * mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test
 * java -cp "target/test-classes:target/classes:$(cat cp.txt)" io.cqrsworkers.bench.CommandHistoryBenchmark \
 *   [commands=20] [attributeBytes=14]
 * </pre>
 */
public final class CommandHistoryBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public static void main(String[] args) throws Exception {
        int commands = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        // the size of the command's one text attribute: the payload every step carries
        int attribute = args.length > 1 ? Integer.parseInt(args[1]) : 14;
        String text = "some attribute" + "x".repeat(Math.max(0, attribute - 14));
        boolean breakdown = Boolean.getBoolean("bench.breakdown");
        Main main = BenchService.start();
        Path dataDir = Path.of(System.getProperty("app.local.data-dir")).resolve("stepfunctions");
        int port = Integer.parseInt(System.getProperty("camel.server.port"));
        try {
            BenchService.awaitReady();
            AwsClients aws = main.getCamelContext().getRegistry().findSingleByType(AwsClients.class);
            SfnClient sfn = aws.sfn();
            String machine = sfn.listStateMachines().stateMachines().stream()
                    .filter(m -> m.name().endsWith("command-handler")).findFirst().orElseThrow().stateMachineArn();
            String run = Long.toString(System.nanoTime(), 36);
            // half new entities, half second versions of them: both paths of check_version
            for (int i = 0; i < commands; i++) {
                String body = "{\"pk\":\"BENCH#bench\",\"sk\":\"H" + run + "#" + (i % Math.max(1, commands / 2))
                        + "\",\"code\":\"c\",\"name\":\"n" + i + "\",\"tenantCode\":\"bench\",\"type\":\"B\",\"version\":"
                        + (i / Math.max(1, commands / 2)) + ",\"attributes\":{\"v\":" + i + ",\"text\":\"" + text + "\"}}";
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/commands/sample"))
                        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 201) {
                    throw new IllegalStateException(r.statusCode() + " " + r.body());
                }
            }
            List<ExecutionListItem> done = awaitClosed(sfn, machine, commands);
            URI endpoint = aws.endpoints().get(AwsClients.STEP_FUNCTIONS);
            report(done, dataDir, endpoint, breakdown);
        } finally {
            main.stop();
        }
        System.exit(0);
    }

    private static List<ExecutionListItem> awaitClosed(SfnClient sfn, String machine, int commands) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            List<ExecutionListItem> all = sfn.listExecutionsPaginator(b -> b.stateMachineArn(machine)).executions().stream().toList();
            if (all.size() >= commands && all.stream().noneMatch(e -> e.status() == ExecutionStatus.RUNNING)) {
                return all;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the commands did not finish in 5 minutes");
    }

    static void report(List<ExecutionListItem> executions, Path dataDir, URI endpoint, boolean breakdown) throws Exception {
        Map<String, long[]> journalBytes = new TreeMap<>();
        Map<String, long[]> byLineKind = new TreeMap<>();
        java.util.Set<String> arns = new java.util.HashSet<>();
        executions.forEach(e -> arns.add(e.executionArn()));
        // entry lines name their execution by the number its start line gave it (n), or by its ARN (x)
        Map<Long, String> numbered = new java.util.HashMap<>();
        try (Stream<Path> files = Files.list(dataDir.resolve("journal"))) {
            for (Path f : files.sorted().toList()) {
                try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        JsonNode l = JSON.readTree(line);
                        if (l.path("t").asText().equals("s") && l.has("n")) {
                            numbered.put(l.path("n").asLong(), l.path("x").asText());
                        }
                        String x = l.has("n") && !l.path("t").asText().equals("s") ? numbered.get(l.path("n").asLong()) : l.path("x").asText();
                        if (!arns.contains(x)) {
                            continue;
                        }
                        long bytes = line.getBytes(StandardCharsets.UTF_8).length + 1;
                        journalBytes.computeIfAbsent(x, k -> new long[1])[0] += bytes;
                        String kind = l.path("t").asText() + (l.has("k") ? ":" + l.path("k").asText()
                                : l.has("e") ? ":" + l.path("e").path("type").asText()
                                : l.has("E") ? ":compact type " + l.path("E").get(1).asText() : "");
                        long[] k = byLineKind.computeIfAbsent(kind, key -> new long[2]);
                        k[0] += bytes;
                        k[1]++;
                    }
                }
            }
        }
        long journal = journalBytes.values().stream().mapToLong(v -> v[0]).sum();
        long historyFiles = 0;
        try (Stream<Path> files = Files.list(dataDir.resolve("histories"))) {
            for (Path f : files.toList()) {
                String arn = java.net.URLDecoder.decode(f.getFileName().toString().replaceAll("\\.[a-z.]+$", ""), StandardCharsets.UTF_8);
                if (arns.contains(arn)) {
                    historyFiles += Files.size(f);
                }
            }
        }
        long api = 0;
        long plainText = 0;
        long apiNoData = 0;
        long events = 0;
        Map<String, long[]> byType = new TreeMap<>();
        for (ExecutionListItem e : executions.stream().sorted(java.util.Comparator.comparing(ExecutionListItem::name)).toList()) {
            for (boolean withData : new boolean[] {true, false}) {
                String token = null;
                do {
                    ObjectNode request = JSON.createObjectNode().put("executionArn", e.executionArn()).put("maxResults", 1000)
                            .put("includeExecutionData", withData);
                    if (token != null) {
                        request.put("nextToken", token);
                    }
                    String body = HTTP.send(HttpRequest.newBuilder(endpoint)
                            .header("content-type", "application/x-amz-json-1.0")
                            .header("X-Amz-Target", "AWSStepFunctions.GetExecutionHistory")
                            .POST(HttpRequest.BodyPublishers.ofString(request.toString())).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                    JsonNode page = JSON.readTree(body);
                    if (withData) {
                        api += bytes.length;
                        for (JsonNode ev : page.path("events")) {
                            events++;
                            long[] t = byType.computeIfAbsent(ev.path("type").asText(), k -> new long[2]);
                            int eventBytes = JSON.writeValueAsBytes(ev).length;
                            t[0] += eventBytes;
                            plainText += eventBytes + 1;
                            t[1]++;
                        }
                    } else {
                        apiNoData += bytes.length;
                    }
                    token = page.path("nextToken").asText(null);
                } while (token != null);
            }
        }
        int n = executions.size();
        long start = byLineKind.getOrDefault("s", new long[1])[0];
        long end = byLineKind.getOrDefault("end", new long[1])[0];
        System.out.printf("command executions: %d, %.1f history events each%n", n, events / (double) n);
        System.out.printf("history per command as JSON lines (the events as the API shows them): %,d bytes%n", plainText / n);
        System.out.printf("on disk per command: journal %,d bytes (start, events, markers, end; %,d per event), "
                        + "history file %,d bytes; until a snapshot %,d bytes, after one %,d bytes (start + end line + history file)%n",
                journal / n, journal / Math.max(1, events), historyFiles / n, (journal + historyFiles) / n, (start + end + historyFiles) / n);
        System.out.printf("GetExecutionHistory per command: %,d bytes (includeExecutionData=false: %,d bytes)%n", api / n, apiNoData / n);
        if (breakdown) {
            System.out.println("API bytes per command by event type (count per command):");
            byType.forEach((type, v) -> System.out.printf("  %-28s %,8d  (%.1f)%n", type, v[0] / n, v[1] / (double) n));
            System.out.println("journal bytes per command by line (count per command):");
            byLineKind.forEach((kind, v) -> System.out.printf("  %-28s %,8d  (%.1f)%n", kind, v[0] / n, v[1] / (double) n));
        }
    }

}
