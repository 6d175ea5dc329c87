package io.cqrsworkers.localaws.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.runtime.Engine;
import io.cqrsworkers.localaws.stepfunctions.runtime.Execution;
import io.cqrsworkers.localaws.stepfunctions.runtime.StateMachine;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Prints engine throughput and memory: transitions/s of a Pass chain, a 10,000-item inline Map at MaxConcurrency
 * 0 and 40, a distributed Map over a 100,000-row CSV in batches of 100, and the heap held by 10,000 executions
 * parked on task tokens. The same Pass/Map definitions run on the npm package aws-local-stepfunctions (installed
 * into target/npm) and the ratios are printed. Both sides run each case 30 times (the first, cold, round among them),
 * then 20 measured times, and print the first round and the mean of the measured ones, garbage collections included
 * (-Dbench.warm-up-rounds, -Dbench.rounds). The peer's Map cases grow its heap by about 35 MB a round, which slows its
 * later rounds: its best round is printed and compared too. Arguments: {@code pass} (the Pass chain only),
 * {@code journaled} (the engine with a data directory). Run: mvn -o test-compile, then java -cp with the test
 * classpath.
 */
public final class StepFunctionsBenchmark {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ROLE = "arn:aws:iam::000000000000:role/bench";

    private StepFunctionsBenchmark() {
    }

    private record Case(String name, ObjectNode definition, JsonNode input, int executions, long transitionsPerExecution) {
    }

    public static void main(String[] args) throws Exception {
        LocalS3 s3 = new LocalS3();
        List<String> options = List.of(args);
        // journaled: the engine writes its journal and the closed histories to a data directory, as the service's
        // local profile runs it; else everything stays in the heap, as the peer keeps it
        Path dataDir = options.contains("journaled") ? Files.createTempDirectory("sfn-bench") : null;
        // a 10,000-item inline Map logs 40,002 events: past AWS's 25,000, which the peer does not enforce
        StepFunctionsEmulator sfn = StepFunctionsEmulator.builder().s3Endpoint(s3.endpoint).historyLimit(100_000)
                .dataDir(dataDir).build();
        sfn.start();
        System.out.println(dataDir == null ? "engine in memory" : "engine journaled to " + dataDir);
        try (SfnClient client = SfnTestSupport.client(sfn)) {
            List<Case> cases = options.contains("pass") ? List.of(passChain()) : List.of(passChain(), map(0), map(40));
            Map<String, Timing> javaTimes = new LinkedHashMap<>();
            for (Case c : cases) {
                String arn = client.createStateMachine(b -> b.name(c.name).definition(c.definition.toString()).roleArn(ROLE)).stateMachineArn();
                Timing t = time(() -> runAll(sfn.engine(), arn, c));
                javaTimes.put(c.name, t);
                System.out.printf("%-22s first round %6.0f ms, warm %6.1f ms  %,12.0f transitions/s%n", c.name, t.first,
                        t.mean, c.executions * c.transitionsPerExecution / (t.mean / 1000));
            }
            Map<String, Timing> nodeTimes = runOnAwsLocalStepFunctions(cases);
            for (Case c : cases) {
                Timing node = nodeTimes.get(c.name);
                Timing java = javaTimes.get(c.name);
                System.out.printf("%-22s aws-local-stepfunctions %s%n", c.name, node == null ? "n/a"
                        : String.format("first round %6.0f ms, warm %6.1f ms (best %.0f) -> this engine is %.1fx faster warm"
                                + " (%.1fx against the peer's best round), %.1fx in the first round",
                        node.first, node.mean, node.best, node.mean / java.mean, node.best / java.mean, node.first / java.first));
            }
            if (cases.size() > 1) {
                distributedMap(client, s3);
                parkedMemory(client, sfn.engine());
            }
        } finally {
            sfn.close();
            s3.close();
        }
    }

    /**
     * Rounds each side runs before the measured ones: HotSpot's C2 has compiled the Pass chain's hot code after about
     * 25 rounds on 2 cores (V8 is warm after a few). The mean of the measured rounds counts the collections of the
     * histories kept, which a best round would leave out.
     */
    static final int WARM_UP_ROUNDS = Integer.getInteger("bench.warm-up-rounds", 30);
    static final int MEASURED_ROUNDS = Integer.getInteger("bench.rounds", 20);

    /** A case's first (cold) round, the mean and the best of the measured rounds after the warm-up, in ms. */
    private record Timing(double first, double mean, double best) {
    }

    private interface Round {
        void run() throws Exception;
    }

    private static Timing time(Round round) throws Exception {
        long t0 = System.nanoTime();
        round.run();
        double first = (System.nanoTime() - t0) / 1e6;
        for (int i = 1; i < WARM_UP_ROUNDS; i++) {
            round.run();
        }
        double total = 0;
        double best = Double.MAX_VALUE;
        for (int i = 0; i < MEASURED_ROUNDS; i++) {
            long t = System.nanoTime();
            round.run();
            double ms = (System.nanoTime() - t) / 1e6;
            total += ms;
            best = Math.min(best, ms);
        }
        return new Timing(first, total / MEASURED_ROUNDS, best);
    }

    private static void runAll(Engine engine, String machineArn, Case c) throws Exception {
        StateMachine m = engine.machine(machineArn);
        String input = c.input.toString();
        List<CompletableFuture<Execution>> ends = new ArrayList<>();
        for (int i = 0; i < c.executions; i++) {
            String name = java.util.UUID.randomUUID().toString();
            Execution e = engine.start(m, engine.arns().execution(m.name(), name), name, input, null);
            CompletableFuture<Execution> f = new CompletableFuture<>();
            e.whenEnded(f::complete);
            ends.add(f);
        }
        for (CompletableFuture<Execution> f : ends) {
            Execution e = f.get(10, TimeUnit.MINUTES);
            if (e.status() != Execution.Status.SUCCEEDED) {
                throw new IllegalStateException(c.name + " failed: " + e.error() + " " + e.cause());
            }
        }
    }

    private static Case passChain() {
        int states = 50;
        ObjectNode def = MAPPER.createObjectNode().put("StartAt", "P0");
        ObjectNode st = def.putObject("States");
        for (int i = 0; i < states; i++) {
            ObjectNode s = st.putObject("P" + i).put("Type", "Pass").put("ResultPath", "$.last");
            s.put("Result", i);
            if (i + 1 < states) {
                s.put("Next", "P" + (i + 1));
            } else {
                s.put("End", true);
            }
        }
        return new Case("pass-chain-50x2000", def, MAPPER.createObjectNode().put("id", 1), 2000, states);
    }

    private static Case map(int maxConcurrency) {
        ObjectNode def = MAPPER.createObjectNode().put("StartAt", "M");
        ObjectNode m = def.putObject("States").putObject("M").put("Type", "Map").put("MaxConcurrency", maxConcurrency).put("End", true);
        ObjectNode proc = m.putObject("ItemProcessor").put("StartAt", "I");
        proc.putObject("States").putObject("I").put("Type", "Pass").put("End", true);
        ArrayNode items = MAPPER.createArrayNode();
        for (int i = 0; i < 10_000; i++) {
            items.add(i);
        }
        return new Case("map-10000-mc" + maxConcurrency, def, items, 1, 10_000);
    }

    private static Map<String, Timing> runOnAwsLocalStepFunctions(List<Case> cases) {
        Map<String, Timing> out = new LinkedHashMap<>();
        Path npm = Path.of("target/npm");
        try {
            if (!Files.exists(npm.resolve("node_modules/aws-local-stepfunctions"))) {
                Files.createDirectories(npm);
                new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "aws-local-stepfunctions").directory(npm.toFile())
                        .inheritIO().start().waitFor(5, TimeUnit.MINUTES);
            }
            Path script = npm.resolve("aws-local-sfn.mjs");
            try (var in = StepFunctionsBenchmark.class.getResourceAsStream("/benchmark/aws-local-sfn.mjs")) {
                Files.write(script, in.readAllBytes());
            }
            ArrayNode spec = MAPPER.createArrayNode();
            for (Case c : cases) {
                spec.addObject().put("name", c.name).put("executions", c.executions).set("definition", c.definition);
                ((ObjectNode) spec.get(spec.size() - 1)).set("input", c.input);
            }
            Path specFile = npm.resolve("cases.json");
            Files.writeString(specFile, spec.toString());
            Process p = new ProcessBuilder("node", "--max-old-space-size=8192", script.getFileName().toString(), specFile.getFileName().toString(),
                    String.valueOf(WARM_UP_ROUNDS), String.valueOf(MEASURED_ROUNDS))
                    .directory(npm.toFile()).redirectErrorStream(true).start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("{")) {
                        JsonNode j = MAPPER.readTree(line);
                        out.put(j.path("name").asText(), new Timing(j.path("first").asDouble(), j.path("mean").asDouble(), j.path("best").asDouble()));
                    } else {
                        System.out.println("  node: " + line);
                    }
                }
            }
            p.waitFor(10, TimeUnit.MINUTES);
        } catch (Exception e) {
            System.out.println("aws-local-stepfunctions not run: " + e);
        }
        return out;
    }

    private static void distributedMap(SfnClient client, LocalS3 s3) throws Exception {
        int rows = 100_000;
        StringBuilder csv = new StringBuilder("id,name,amount\n");
        for (int i = 0; i < rows; i++) {
            csv.append(i).append(",name-").append(i).append(',').append(i % 1000).append('\n');
        }
        s3.client.createBucket(b -> b.bucket("bench"));
        s3.client.putObject(b -> b.bucket("bench").key("rows.csv"), RequestBody.fromString(csv.toString()));
        for (String type : List.of("EXPRESS", "STANDARD")) {
            String def = """
                    {"StartAt":"Rows","States":{"Rows":{"Type":"Map","MaxConcurrency":50,
                      "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW"},
                        "Parameters":{"Bucket":"bench","Key":"rows.csv"}},
                      "ItemBatcher":{"MaxItemsPerBatch":100,"BatchInput":{"job":"bench"}},
                      "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"%s"},
                        "StartAt":"Count","States":{"Count":{"Type":"Pass","Parameters":{"n.$":"States.ArrayLength($.Items)"},"End":true}}},
                      "ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"bench","Prefix":"out"}},
                      "End":true}}}""".formatted(type);
            String arn = client.createStateMachine(b -> b.name("dmap-" + type).definition(def).roleArn(ROLE)).stateMachineArn();
            long t0 = System.nanoTime();
            String exec = client.startExecution(b -> b.stateMachineArn(arn)).executionArn();
            String status;
            do {
                Thread.sleep(20);
                status = client.describeExecution(b -> b.executionArn(exec)).statusAsString();
            } while ("RUNNING".equals(status));
            double ms = (System.nanoTime() - t0) / 1e6;
            System.out.printf("distributed-map-100k-rows (%s children, batches of 100, MaxConcurrency 50): %s in %.0f ms, %,.0f rows/s%n",
                    type, status, ms, rows / (ms / 1000));
        }
    }

    private static void parkedMemory(SfnClient client, Engine engine) throws Exception {
        String activity = client.createActivity(b -> b.name("bench-park")).activityArn();
        String arn = client.createStateMachine(b -> b.name("parked").roleArn(ROLE).definition("""
                {"StartAt":"Wait","States":{"Wait":{"Type":"Task","Resource":"%s","End":true}}}""".formatted(activity))).stateMachineArn();
        StateMachine m = engine.machine(arn);
        long before = usedHeapAfterGc();
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        int n = 10_000;
        List<Execution> parked = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = "p" + i;
            parked.add(engine.start(m, engine.arns().execution(m.name(), name), name, "{\"i\":" + i + "}", null));
        }
        for (Execution e : parked) {
            while (e.history.size() < 3) {
                Thread.sleep(1);
            }
        }
        long after = usedHeapAfterGc();
        int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
        System.out.printf("parked-10000-on-task-tokens: %,d bytes heap in all, %,d bytes per execution, threads %d -> %d%n",
                after - before, (after - before) / n, threadsBefore, threadsAfter);
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
