package io.cqrsworkers.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.config.AppConfiguration;
import io.cqrsworkers.localaws.FreePort;
import org.apache.camel.main.Main;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * End-to-end throughput and latency of the command pipeline on the embedded default: commands published through the
 * API, timed until their {@code finish:FINISHED} notification arrives (Server-Sent Events).
 *
 * <pre>
 * mvn -q -B test-compile && java -cp "target/test-classes:target/classes:$(mvn -q -B dependency:build-classpath \
 *   -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)" io.cqrsworkers.bench.CommandPipelineBenchmark [commands]
 * </pre>
 * Runs: one entity with versions back to back, then 100 entities concurrently; then prints the heap.
 */
public final class CommandPipelineBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Map<String, Long> FINISHED = new ConcurrentHashMap<>();
    private static int port;

    public static void main(String[] args) throws Exception {
        int commands = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        port = FreePort.find("127.0.0.1");
        System.setProperty("camel.server.port", String.valueOf(port));
        System.setProperty("camel.management.port", String.valueOf(FreePort.find("127.0.0.1")));
        for (String service : new String[] {"sqs", "s3", "dynamodb", "stepfunctions"}) {
            System.setProperty("app.local." + service + ".port", "0");
        }
        Path data = Files.createTempDirectory("cqrs-bench");
        System.setProperty("app.local.data-dir", data.toString());
        System.setProperty("camel.main.profile", "local");

        Main main = new Main();
        main.configure().addConfiguration(AppConfiguration.class);
        main.start();
        subscribe();
        Thread.sleep(3000);
        try {
            run("1 entity, versions back to back", 1, Math.max(20, commands / 20));
            run("100 entities concurrently", 100, Math.max(1, commands / 100));
            System.gc();
            Thread.sleep(500);
            System.gc();
            Runtime rt = Runtime.getRuntime();
            System.out.printf("heap after %d commands: %.1f MB used (max %.0f MB)%n", FINISHED.size(),
                    (rt.totalMemory() - rt.freeMemory()) / 1e6, rt.maxMemory() / 1e6);
        } finally {
            main.stop();
        }
    }

    private static void run(String title, int entities, int versions) throws Exception {
        String run = Long.toString(System.nanoTime(), 36);
        Map<String, Long> published = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(entities, 32));
        long start = System.nanoTime();
        CountDownLatch done = new CountDownLatch(entities);
        for (int e = 0; e < entities; e++) {
            String sk = "B" + run + "#" + e;
            pool.submit(() -> {
                try {
                    for (int v = 0; v < versions; v++) {
                        String body = "{\"pk\":\"BENCH#bench\",\"sk\":\"" + sk + "\",\"code\":\"c\",\"name\":\"v" + v
                                + "\",\"tenantCode\":\"bench\",\"type\":\"B\",\"version\":" + v + ",\"attributes\":{\"v\":" + v + "}}";
                        published.put(sk + "@" + (v + 1), System.nanoTime());
                        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + port + "/api/commands/sample"))
                                .header("content-type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 201) {
                            throw new IllegalStateException(r.statusCode() + " " + r.body());
                        }
                    }
                } catch (Exception ex) {
                    ex.printStackTrace();
                } finally {
                    done.countDown();
                }
                return null;
            });
        }
        done.await();
        pool.shutdown();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
        while (!FINISHED.keySet().containsAll(published.keySet()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        long elapsed = System.nanoTime() - start;
        List<Long> latencies = new ArrayList<>();
        published.forEach((key, at) -> {
            Long end = FINISHED.get(key);
            if (end != null) {
                latencies.add(end - at);
            }
        });
        Collections.sort(latencies);
        System.out.printf("%s: %d commands, %d finished, %.1f commands/s, latency p50 %.0f ms, p99 %.0f ms%n",
                title, published.size(), latencies.size(), latencies.size() / (elapsed / 1e9),
                percentile(latencies, 50), percentile(latencies, 99));
    }

    private static double percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)) / 1e6;
    }

    private static void subscribe() {
        HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/notifications?tenantCode=bench&action=command-status")).GET().build(),
                HttpResponse.BodyHandlers.fromLineSubscriber(new Flow.Subscriber<String>() {
                    @Override
                    public void onSubscribe(Flow.Subscription subscription) {
                        subscription.request(Long.MAX_VALUE);
                    }

                    @Override
                    public void onNext(String line) {
                        if (!line.startsWith("data: ") || !line.contains("finish:FINISHED")) {
                            return;
                        }
                        try {
                            JsonNode n = JSON.readTree(line.substring(6));
                            FINISHED.putIfAbsent(n.path("sk").asText(), System.nanoTime());
                        } catch (Exception ignored) {
                            // not a notification
                        }
                    }

                    @Override
                    public void onError(Throwable throwable) {
                        throwable.printStackTrace();
                    }

                    @Override
                    public void onComplete() {
                    }
                }));
    }
}
