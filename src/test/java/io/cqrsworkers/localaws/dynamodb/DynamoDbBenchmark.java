package io.cqrsworkers.localaws.dynamodb;

import io.cqrsworkers.localaws.dynamodb.model.Av;
import io.cqrsworkers.localaws.dynamodb.model.Item;
import io.cqrsworkers.localaws.dynamodb.store.Database;
import io.cqrsworkers.localaws.dynamodb.store.KeySchema;
import io.cqrsworkers.localaws.dynamodb.store.RowKey;
import io.cqrsworkers.localaws.dynamodb.store.Table;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Throughput and p99 latency of PutItem, GetItem, UpdateItem with a condition, Query and GetRecords through the SDK
 * over HTTP, with 1 and 8 client threads, against this emulator and against dynalite (npm) on the same machine;
 * then the heap held by 1,000,000 small items. Not a test (surefire skips *Benchmark). Run with:
 *
 * <pre>
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Xmx2g -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *     io.cqrsworkers.localaws.dynamodb.DynamoDbBenchmark [secondsPerRun | memory]
 * </pre>
 *
 * dynalite is installed with npm into target/dynalite on first use; without npm or network it is skipped.
 * dynalite has no DynamoDB Streams, so GetRecords is measured here only.
 */
public final class DynamoDbBenchmark {

    private static final String[] OPS = {"PutItem", "GetItem", "UpdateItem+condition", "Query", "GetRecords"};
    private static final int KEYS = 10_000;

    private record Result(double opsPerSecond, double p99Millis) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("memory")) {
            measureMemory(1_000_000);
            return;
        }
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        // a first pass warms up the JIT for the SDK client and the emulator alike; its numbers are not reported
        try (DynamoDbEmulator emulator = DynamoDbEmulator.builder().port(0).build()) {
            emulator.start();
            runAll("emulator (warm-up pass)", emulator.endpoint(), 1, true);
        }
        Map<String, Result> theirs = null;
        Process dynalite = startDynalite();
        if (dynalite != null) {
            try {
                theirs = runAll("dynalite", URI.create("http://127.0.0.1:" + dynalitePort), seconds, false);
            } finally {
                dynalite.destroy();
                dynalite.waitFor();
            }
        }
        Map<String, Result> ours;
        try (DynamoDbEmulator emulator = DynamoDbEmulator.builder().port(0).build()) {
            emulator.start();
            ours = runAll("emulator", emulator.endpoint(), seconds, true);
        }
        System.out.println();
        System.out.printf("%-28s %14s %10s %14s %10s %8s%n", "operation / threads", "emulator op/s", "p99 ms",
                "dynalite op/s", "p99 ms", "ratio");
        for (String key : ours.keySet()) {
            Result a = ours.get(key);
            Result b = theirs == null ? null : theirs.get(key);
            System.out.printf("%-28s %14.0f %10.2f %14s %10s %8s%n", key, a.opsPerSecond(), a.p99Millis(),
                    b == null ? "n/a" : String.format("%.0f", b.opsPerSecond()),
                    b == null ? "n/a" : String.format("%.2f", b.p99Millis()),
                    b == null ? "n/a" : String.format("%.1fx", a.opsPerSecond() / b.opsPerSecond()));
        }
        measureMemory(1_000_000);
    }

    private static int dynalitePort;

    private static Process startDynalite() {
        try {
            Path dir = Path.of("target", "dynalite");
            Path cli = dir.resolve("node_modules/dynalite/cli.js");
            if (!Files.exists(cli)) {
                Files.createDirectories(dir);
                Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "dynalite@4.0.0")
                        .directory(dir.toFile()).inheritIO().start();
                if (npm.waitFor() != 0 || !Files.exists(cli)) {
                    System.out.println("npm install dynalite failed: skipping dynalite");
                    return null;
                }
            }
            try (ServerSocket s = new ServerSocket(0)) {
                dynalitePort = s.getLocalPort();
            }
            Process p = new ProcessBuilder("node", cli.toString(), "--port", String.valueOf(dynalitePort))
                    .redirectErrorStream(true).redirectOutput(new File("target/dynalite.log")).start();
            long deadline = System.currentTimeMillis() + 15_000;
            while (System.currentTimeMillis() < deadline) {
                try (Socket ignored = new Socket("127.0.0.1", dynalitePort)) {
                    return p;
                } catch (Exception notYet) {
                    Thread.sleep(100);
                }
            }
            p.destroy();
            System.out.println("dynalite did not start: skipping it");
        } catch (Exception e) {
            System.out.println("npm/node unavailable (" + e.getMessage() + "): skipping dynalite");
        }
        return null;
    }

    private static DynamoDbClient client(URI endpoint) {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(TestSupport.CREDENTIALS)
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(32)).build();
    }

    private static Map<String, AttributeValue> key(int i) {
        return Map.of("pk", AttributeValue.fromS("user-" + (i % 100)), "sk", AttributeValue.fromN(String.valueOf(i)));
    }

    private static Map<String, Result> runAll(String name, URI endpoint, int seconds, boolean streams)
            throws Exception {
        System.out.println("== " + name + " at " + endpoint);
        Map<String, Result> results = new LinkedHashMap<>();
        try (DynamoDbClient ddb = client(endpoint);
             DynamoDbStreamsClient sc = DynamoDbStreamsClient.builder().endpointOverride(endpoint)
                     .region(Region.US_EAST_1).credentialsProvider(TestSupport.CREDENTIALS).build()) {
            ddb.createTable(TestSupport.table("bench", ScalarAttributeType.N)
                    .streamSpecification(StreamSpecification.builder().streamEnabled(true)
                            .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES).build()).build());
            ddb.waiter().waitUntilTableExists(r -> r.tableName("bench"));
            for (int i = 0; i < KEYS; i += 25) {
                List<WriteRequest> batch = new ArrayList<>();
                for (int j = i; j < i + 25; j++) {
                    Map<String, AttributeValue> item = new LinkedHashMap<>(key(j));
                    item.put("v", AttributeValue.fromN("0"));
                    item.put("data", AttributeValue.fromS("payload-" + j));
                    batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
                }
                ddb.batchWriteItem(r -> r.requestItems(Map.of("bench", batch)));
            }
            for (int threads : new int[] {1, 8}) {
                for (String op : OPS) {
                    if (op.equals("GetRecords") && !streams) {
                        continue;
                    }
                    Runnable action = action(op, ddb, sc);
                    run(action, threads, 1); // warm-up
                    Result r = run(action, threads, seconds);
                    results.put(op + " x" + threads, r);
                    System.out.printf("%-28s %10.0f op/s  p99 %.2f ms%n", op + " x" + threads, r.opsPerSecond(),
                            r.p99Millis());
                }
            }
        }
        return results;
    }

    private static Runnable action(String op, DynamoDbClient ddb, DynamoDbStreamsClient sc) {
        switch (op) {
            case "PutItem":
                return () -> {
                    int i = ThreadLocalRandom.current().nextInt(KEYS);
                    Map<String, AttributeValue> item = new LinkedHashMap<>(key(i));
                    item.put("v", AttributeValue.fromN("0"));
                    item.put("data", AttributeValue.fromS("payload-" + i));
                    ddb.putItem(r -> r.tableName("bench").item(item));
                };
            case "GetItem":
                return () -> ddb.getItem(r -> r.tableName("bench").key(key(ThreadLocalRandom.current().nextInt(KEYS))));
            case "UpdateItem+condition":
                return () -> ddb.updateItem(r -> r.tableName("bench").key(key(ThreadLocalRandom.current().nextInt(KEYS)))
                        .updateExpression("SET v = v + :one").conditionExpression("attribute_exists(pk) AND v >= :zero")
                        .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"),
                                ":zero", AttributeValue.fromN("0"))));
            case "Query":
                return () -> ddb.query(r -> r.tableName("bench").keyConditionExpression("pk = :p AND sk > :s")
                        .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("user-"
                                + ThreadLocalRandom.current().nextInt(100)), ":s", AttributeValue.fromN("0")))
                        .limit(10));
            default: {
                String arn = sc.listStreams(r -> r.tableName("bench")).streams().get(0).streamArn();
                String shard = sc.describeStream(r -> r.streamArn(arn)).streamDescription().shards().get(0).shardId();
                ThreadLocal<String> iterator = ThreadLocal.withInitial(() -> sc.getShardIterator(r -> r.streamArn(arn)
                        .shardId(shard).shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator());
                return () -> {
                    GetRecordsResponse resp = sc.getRecords(r -> r.shardIterator(iterator.get()).limit(100));
                    // start over at the horizon once caught up, so every call returns a full page
                    iterator.set(resp.records().size() < 100 ? sc.getShardIterator(r -> r.streamArn(arn).shardId(shard)
                            .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator()
                            : resp.nextShardIterator());
                };
            }
        }
    }

    private static Result run(Runnable action, int threads, int seconds) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        List<long[]> latencies = new ArrayList<>();
        int[] counts = new int[threads];
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            long[] lat = new long[5_000_000];
            latencies.add(lat);
            int index = t;
            Thread th = new Thread(() -> {
                int n = 0;
                while (!stop.get() && n < lat.length) {
                    long start = System.nanoTime();
                    action.run();
                    lat[n++] = System.nanoTime() - start;
                }
                counts[index] = n;
                done.countDown();
            });
            th.start();
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        done.await();
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int t = 0; t < threads; t++) {
            System.arraycopy(latencies.get(t), 0, all, at, counts[t]);
            at += counts[t];
        }
        Arrays.sort(all);
        double p99 = total == 0 ? 0 : all[Math.min(total - 1, (int) (total * 0.99))] / 1e6;
        return new Result(total / (double) seconds, p99);
    }

    /** Heap held by n small items (3 attributes besides the key) in the emulator's store, measured in-process. */
    private static void measureMemory(int n) {
        Database db = new Database("us-east-1", "000000000000", Duration.ofHours(4), Duration.ofHours(24),
                Clock.systemUTC());
        long before = usedHeap();
        Table t = db.createTable("mem", null, null, new KeySchema("pk", Av.Type.S, "sk", Av.Type.N),
                JsonNodeFactory.instance.arrayNode(), JsonNodeFactory.instance.objectNode(), List.of());
        for (int i = 0; i < n; i++) {
            Map<String, Av> m = new LinkedHashMap<>();
            m.put("pk", Av.s("user-" + (i / 10)));
            m.put("sk", Av.n(BigDecimal.valueOf(i % 10)));
            m.put("status", Av.s("ACTIVE"));
            m.put("count", Av.n(BigDecimal.valueOf(i)));
            m.put("flag", Av.bool(i % 2 == 0));
            RowKey key = RowKey.of(m.get("pk"), m.get("sk"));
            t.lock().lock();
            try {
                t.commit(key, null, Item.of(m), false);
            } finally {
                t.lock().unlock();
            }
        }
        long after = usedHeap();
        System.out.printf("%nmemory: %,d small items (5 attributes) hold %,d MB of heap, %d bytes per item (%d items)%n",
                n, (after - before) >> 20, (after - before) / n, t.itemCount());
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
