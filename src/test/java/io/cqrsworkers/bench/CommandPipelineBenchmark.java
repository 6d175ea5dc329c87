package io.cqrsworkers.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.main.Main;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * End-to-end throughput and latency of the command pipeline on the embedded default: commands published through the
 * API, timed until their {@code finish:FINISHED} notification arrives (Server-Sent Events).
 *
 * <pre>
 * mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test
 * java -cp "target/test-classes:target/classes:$(cat cp.txt)" io.cqrsworkers.bench.CommandPipelineBenchmark \
 *   [commands=10000] [rate=50]
 * </pre>
 * After a warm-up at the paced rate ({@code -Dbench.warmup-seconds}, default 300: the service is long-lived, so it
 * is measured once the JIT compiler has settled):
 * <ol>
 * <li>1 entity, closed loop: each version is published when the previous one finished (the pipeline's latency);</li>
 * <li>100 entities at a steady rate (default 50 commands/s, open loop): latency under a sustained load;</li>
 * <li>100 entities, everything published at once: throughput with a backlog. Each entity's versions are applied one
 * after the other, so this is bounded by 100 chains times one command's latency under load, not by the CPU.</li>
 * </ol>
 * The heap after a full GC is printed after each phase, so growth with the number of commands shows.
 * <p>
 * <b>From the start</b>: {@code CommandPipelineBenchmark timeline [minutes=10] [rate=50]} starts the packaged service
 * as the README runs it ({@code java -jar target/cqrs-workers.jar}, so {@code mvn -B -q package -DskipTests} first)
 * in a child process, loads it at {@code rate} from the moment it is ready and prints per minute and per 2-minute
 * window the commands/s finished, p50/p99/max latency, CPU per command, JIT and GC time from the child's MXBeans, and
 * per window the slowest commands, the GC pauses over 50 ms and the journal snapshots written (see {@link #timeline}).
 * {@code -Dbench.jvm-args="..."} sets the child's JVM options (GC logging, an AppCDS archive, JFR).
 * <p>
 * With {@code -Dbench.separate-aws=<heap, e.g. 4g>} the embedded AWS runs in a child JVM, so that the heap and CPU
 * figures are the service's own, as in AWS (the tables, queues and executions are then not on this heap). With
 * {@code -Dbench.count-calls=true} each phase also prints the SDK calls per command, by operation
 * ({@link SdkCallCounter}).
 */
public final class CommandPipelineBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Map<String, Long> FINISHED = new ConcurrentHashMap<>();
    private static int port;
    private static final AtomicInteger TOTAL = new AtomicInteger();
    private static final AtomicInteger FAILED = new AtomicInteger();
    private static final Map<String, Integer> FAILURES = new ConcurrentHashMap<>();
    private static final ExecutorService CLIENTS = Executors.newCachedThreadPool();

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("timeline")) {
            timeline(args.length > 1 ? Integer.parseInt(args[1]) : 10, args.length > 2 ? Double.parseDouble(args[2]) : 50);
            System.exit(0);
        }
        int commands = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        double rate = args.length > 1 ? Double.parseDouble(args[1]) : 50;
        if (Boolean.getBoolean("bench.count-calls")) {
            SdkCallCounter.enable();
        }
        String separateAws = System.getProperty("bench.separate-aws");
        Main main = separateAws == null ? BenchService.start() : BenchService.startWithSeparateAws(separateAws);
        port = Integer.parseInt(System.getProperty("camel.server.port"));
        subscribe();
        BenchService.awaitReady();
        try {
            int paced = (int) Math.min(commands / 2, rate * 120);
            warmUp(rate, Long.getLong("bench.warmup-seconds", 300));
            closedLoop("1 entity, each version after the previous finished", 1, 50);
            heap();
            paced("100 entities at " + rate + " commands/s", 100, paced, rate, true);
            heap();
            burst("100 entities, all published at once", 100, Math.max(100, commands - TOTAL.get()));
            heap();
        } finally {
            main.stop();
            CLIENTS.shutdownNow();
        }
        // KCL leaves non-daemon threads behind when its consumers stop
        System.exit(0);
    }

    /**
     * The service from its start, as the README runs it: the packaged jar in a child process ({@link PackagedService},
     * JVM options from {@code -Dbench.jvm-args}), then {@code rate} commands/s (100 entities, open loop) from the
     * moment it is ready, for {@code minutes}. Prints a table per minute and one per 2-minute window: commands/s
     * finished, p50/p99/max latency of the commands published in it, the service's CPU per command, the JIT
     * compiler's time (CompilationMXBean: wall time of the compiler threads) and their CPU (/proc), GC time, count
     * and longest pause (the collectors' notifications); per window also its slowest commands, its long GC pauses and
     * the emulators' journal snapshots written in it, to tell what the p99 is made of.
     */
    private static void timeline(int minutes, double rate) throws Exception {
        try (PackagedService service = PackagedService.start()) {
            port = service.serverPort;
            long ready = service.awaitReady(java.time.Duration.ofMinutes(5));
            subscribe();
            Thread.sleep(200);
            System.out.printf("service: java %s -jar target/cqrs-workers.jar (local profile, embedded AWS), pid %d%n",
                    String.join(" ", service.jvmArgs), service.pid());
            System.out.printf("ready %.1f s after the launch (its own line: %d ms); then %.0f commands/s for %d min; "
                    + "load %s%n", ready / 1e3, service.readyLineMillis(), rate, minutes, IdleBenchmark.load());
            long start = System.nanoTime();
            long interval = (long) (1e9 / rate);
            int count = (int) (minutes * 60 * rate);
            long[] publishedAt = new long[count];
            String[] keys = new String[count];
            List<Probe.Sample> samples = new ArrayList<>();
            List<Map<String, Long>> threadTicks = new ArrayList<>();
            List<Map<String, Long>> snapshots = new ArrayList<>();
            List<String> loads = new ArrayList<>();
            samples.add(service.sample());
            threadTicks.add(service.threadTicks());
            snapshots.add(service.snapshots());
            java.util.concurrent.ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            for (int m = 1; m <= minutes; m++) {
                sampler.schedule(() -> {
                    samples.add(service.sample());
                    threadTicks.add(service.threadTicks());
                    snapshots.add(service.snapshots());
                    loads.add(IdleBenchmark.load());
                }, start + m * 60_000_000_000L - System.nanoTime(), TimeUnit.NANOSECONDS);
            }
            String run = Long.toString(System.nanoTime(), 36);
            Map<String, Long> published = new ConcurrentHashMap<>();
            // an entity's next version goes once the API answered the previous one (it must exist by then), so an
            // API that lags delays its versions instead of failing all that follow; latency counts from the
            // scheduled time, so such a delay is in it
            @SuppressWarnings("unchecked")
            CompletableFuture<String>[] last = new CompletableFuture[100];
            for (int i = 0; i < count; i++) {
                long due = start + i * interval;
                while (System.nanoTime() < due) {
                    LockSupport.parkNanos(Math.max(1, due - System.nanoTime()));
                }
                int entity = i % 100;
                int version = i / 100;
                String sk = "T" + run + "#" + entity;
                keys[i] = sk + "@" + (version + 1);
                publishedAt[i] = due;
                CompletableFuture<String> previous = last[entity];
                last[entity] = (previous == null || previous.isDone() ? publish(sk, version, published)
                        : previous.thenCompose(k -> publish(sk, version, published))).exceptionally(e -> null);
            }
            awaitFinished(published, TimeUnit.MINUTES.toNanos(2));
            sampler.shutdown();
            sampler.awaitTermination(70, TimeUnit.SECONDS);
            if (FAILED.get() > 0) {
                System.out.printf("%d publish requests failed: %s%n", FAILED.get(), FAILURES);
            }
            System.out.println();
            timelineTable("minute", 1, minutes, start, rate, publishedAt, keys, samples, threadTicks, snapshots, loads,
                    service, false);
            System.out.println();
            timelineTable("2-minute window", 2, minutes, start, rate, publishedAt, keys, samples, threadTicks, snapshots,
                    loads, service, true);
            System.out.printf("%nservice log: %s; data: %s%n", service.log, service.dataDir);
        } finally {
            CLIENTS.shutdownNow();
        }
    }

    private static void timelineTable(String unit, int width, int minutes, long start, double rate, long[] publishedAt,
                                      String[] keys, List<Probe.Sample> samples, List<Map<String, Long>> threadTicks,
                                      List<Map<String, Long>> snapshots, List<String> loads, PackagedService service,
                                      boolean details) {
        System.out.printf("| %s (from readiness) | commands/s finished | p50 ms | p99 ms | max ms | unfinished | "
                + "CPU ms per command | CPU %% of machine | JIT s (compiler CPU s) | GC ms (collections, longest "
                + "pause ms) | classes loaded | load |%n", unit);
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        int cores = Runtime.getRuntime().availableProcessors();
        for (int from = 0; from + width <= minutes && from + width < samples.size(); from += width) {
            long t0 = start + from * 60_000_000_000L;
            long t1 = start + (from + width) * 60_000_000_000L;
            List<Long> latencies = new ArrayList<>();
            List<long[]> slowest = new ArrayList<>();
            int unfinished = 0;
            int finishedIn = 0;
            for (int i = 0; i < publishedAt.length; i++) {
                Long end = keys[i] == null ? null : FINISHED.get(keys[i]);
                if (end != null && end >= t0 && end < t1) {
                    finishedIn++;
                }
                if (publishedAt[i] < t0 || publishedAt[i] >= t1) {
                    continue;
                }
                if (end == null) {
                    unfinished++;
                } else {
                    latencies.add(end - publishedAt[i]);
                    slowest.add(new long[]{publishedAt[i], end - publishedAt[i]});
                }
            }
            Collections.sort(latencies);
            Probe.Sample a = samples.get(from);
            Probe.Sample b = samples.get(from + width);
            Map<String, Long> threads = PackagedService.threadCpuMillis(threadTicks.get(from), threadTicks.get(from + width));
            long compilerCpu = threads.entrySet().stream().filter(e -> e.getKey().contains("CompilerThre"))
                    .mapToLong(Map.Entry::getValue).sum();
            List<long[]> pauses = service.gcPauses(a.nanos(), b.nanos());
            long longest = pauses.stream().mapToLong(p -> p[1]).max().orElse(0);
            double seconds = (b.nanos() - a.nanos()) / 1e9;
            double cpuMs = (b.cpuNanos() - a.cpuNanos()) / 1e6;
            System.out.printf("| %d-%d | %.1f | %.0f | %.0f | %.0f | %d | %.1f | %.0f%% | %.1f (%.1f) | %d (%d, %d) | %d | %s |%n",
                    from, from + width, finishedIn / seconds, percentile(latencies, 50), percentile(latencies, 99),
                    latencies.isEmpty() ? Double.NaN : latencies.get(latencies.size() - 1) / 1e6, unfinished,
                    cpuMs / Math.max(1, finishedIn), 100 * cpuMs / 1000 / seconds / cores, (b.jitMs() - a.jitMs()) / 1e3,
                    compilerCpu / 1e3, b.gcMs() - a.gcMs(), b.gcCount() - a.gcCount(), longest,
                    b.classes() - a.classes(), loads.get(from + width - 1).split(" ")[0]);
            if (details) {
                slowest.sort((x, y) -> Long.compare(y[1], x[1]));
                StringBuilder line = new StringBuilder("    slowest (published at s from readiness: latency ms):");
                slowest.stream().limit(6).forEach(x -> line.append(String.format(" %.1f: %.0f;", (x[0] - start) / 1e9,
                        x[1] / 1e6)));
                StringBuilder gc = new StringBuilder("    GC pauses over 50 ms (ended at s: ms):");
                pauses.stream().filter(p -> p[1] > 50).forEach(p -> gc.append(String.format(" %.1f: %d;",
                        (p[0] - start) / 1e9, p[1])));
                Map<String, Long> before = snapshots.get(from);
                StringBuilder snaps = new StringBuilder("    journal snapshots written:");
                snapshots.get(from + width).forEach((file, size) -> {
                    if (!before.containsKey(file)) {
                        snaps.append(String.format(" %s (%.1f MB);", file, size / 1e6));
                    }
                });
                System.out.println(line);
                System.out.println(gc);
                System.out.println(snaps);
                System.out.println("    CPU by thread (s): " + threads.entrySet().stream().limit(12)
                        .map(e -> e.getKey() + " " + String.format("%.1f", e.getValue() / 1e3))
                        .collect(java.util.stream.Collectors.joining(", ")));
            }
        }
    }

    /**
     * The service is long-lived, so it is measured warm. On two cores the JIT compiler keeps compiling (and
     * recompiling after deoptimisations) for about five minutes of load after the start; a phase run meanwhile
     * measures the compiler as much as the pipeline. So the warm-up is the paced load itself, in 30 s rounds, for
     * {@code seconds}; each round's CPU per command is printed, so the curve shows.
     */
    private static void warmUp(double rate, long seconds) throws Exception {
        long start = System.nanoTime();
        int before = TOTAL.get();
        for (int round = 1; System.nanoTime() - start < TimeUnit.SECONDS.toNanos(seconds); round++) {
            paced("warm-up round " + round + " (not measured)", 100, (int) (rate * 30), rate, false);
        }
        System.out.printf("warm-up (not measured): %d commands in %.0f s%n", TOTAL.get() - before,
                (System.nanoTime() - start) / 1e9);
    }

    /** {@code entities} clients, each publishing its next version when the previous one finished. */
    private static void closedLoop(String title, int entities, int versions) throws Exception {
        startPhase();
        String run = Long.toString(System.nanoTime(), 36);
        Map<String, Long> published = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        long cpu = cpuNanos();
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        for (int e = 0; e < entities; e++) {
            String sk = "L" + run + "#" + e;
            clients.add(CompletableFuture.runAsync(() -> {
                for (int v = 0; v < versions; v++) {
                    String key = publish(sk, v, published).join();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (!FINISHED.containsKey(key) && System.nanoTime() < deadline) {
                        LockSupport.parkNanos(200_000);
                    }
                }
            }, CLIENTS));
        }
        CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).join();
        report(title, published, System.nanoTime() - start, cpuNanos() - cpu, true);
    }

    /** Open loop: commands at a fixed rate, round robin over the entities, whatever the pipeline does. */
    private static void paced(String title, int entities, int commands, double rate, boolean details) throws Exception {
        startPhase();
        String run = Long.toString(System.nanoTime(), 36);
        Map<String, Long> published = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        long cpu = cpuNanos();
        long interval = (long) (1e9 / rate);
        List<CompletableFuture<String>> sent = new ArrayList<>();
        for (int i = 0; i < commands; i++) {
            long due = start + i * interval;
            while (System.nanoTime() < due) {
                LockSupport.parkNanos(Math.max(1, due - System.nanoTime()));
            }
            sent.add(publish("P" + run + "#" + (i % entities), i / entities, published));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
        awaitFinished(published);
        report(title, published, System.nanoTime() - start, cpuNanos() - cpu, details);
    }

    /** Everything published at once (the versions of one entity in order): throughput with a backlog. */
    private static void burst(String title, int entities, int commands) throws Exception {
        startPhase();
        String run = Long.toString(System.nanoTime(), 36);
        Map<String, Long> published = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        long cpu = cpuNanos();
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        for (int e = 0; e < entities; e++) {
            String sk = "B" + run + "#" + e;
            int versions = commands / entities;
            clients.add(CompletableFuture.runAsync(() -> {
                for (int v = 0; v < versions; v++) {
                    publish(sk, v, published).join();
                }
            }, CLIENTS));
        }
        // every waiting version is a running execution: the process must not need a file per execution
        java.util.concurrent.atomic.AtomicLong peakFiles = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> peakFiles.accumulateAndGet(openFiles(), Math::max), 0, 200, TimeUnit.MILLISECONDS);
        try {
            CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).join();
            awaitFinished(published);
        } finally {
            sampler.shutdownNow();
        }
        report(title, published, System.nanoTime() - start, cpuNanos() - cpu, true);
        System.out.printf("  open file descriptors of the process: peak %d during the phase (limit %s)%n", peakFiles.get(),
                Files.readAllLines(Path.of("/proc/self/limits")).stream().filter(l -> l.startsWith("Max open files"))
                        .map(l -> l.replaceAll("\\s+", " ")).findFirst().orElse("?"));
    }

    private static long openFiles() {
        try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    /** Publishes version {@code v} (0 = first) of an entity; completes with the key its notification carries. */
    private static CompletableFuture<String> publish(String sk, int v, Map<String, Long> published) {
        String body = "{\"pk\":\"BENCH#bench\",\"sk\":\"" + sk + "\",\"code\":\"c\",\"name\":\"v" + v
                + "\",\"tenantCode\":\"bench\",\"type\":\"B\",\"version\":" + v + ",\"attributes\":{\"v\":" + v + "}}";
        String key = sk + "@" + (v + 1);
        published.put(key, System.nanoTime());
        TOTAL.incrementAndGet();
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/commands/sample"))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> {
                    if (r.statusCode() != 201) {
                        FAILED.incrementAndGet();
                        String reason = r.statusCode() + " " + r.body().replaceAll("[0-9]+", "N");
                        FAILURES.merge(reason.substring(0, Math.min(120, reason.length())), 1, Integer::sum);
                        throw new IllegalStateException(r.statusCode() + " " + r.body());
                    }
                    return key;
                });
    }

    private static void awaitFinished(Map<String, Long> published) throws InterruptedException {
        awaitFinished(published, TimeUnit.MINUTES.toNanos(15));
    }

    private static void awaitFinished(Map<String, Long> published, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (!FINISHED.keySet().containsAll(published.keySet()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private static long phaseCompileMs;
    private static long phaseGcMs;

    private static void startPhase() {
        SdkCallCounter.drain();
        phaseCompileMs = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        phaseGcMs = gcMillis();
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(g -> Math.max(0, g.getCollectionTime())).sum();
    }

    /** CPU time of this process (the service and its embedded AWS services, and the benchmark's client). */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Prints the phase's figures; with {@code details} also compiler, GC and SDK calls. */
    private static void report(String title, Map<String, Long> published, long elapsed, long cpu, boolean details) {
        List<Long> latencies = new ArrayList<>();
        for (Map.Entry<String, Long> p : published.entrySet()) {
            Long end = FINISHED.get(p.getKey());
            if (end != null) {
                latencies.add(end - p.getValue());
            }
        }
        Collections.sort(latencies);
        System.out.printf("%s: %d commands, %d finished, %.1f commands/s, latency p50 %.0f ms, p99 %.0f ms, "
                        + "CPU %.1f ms per command%n",
                title, published.size(), latencies.size(), latencies.size() / (elapsed / 1e9),
                percentile(latencies, 50), percentile(latencies, 99), cpu / 1e6 / Math.max(1, latencies.size()));
        if (details) {
            System.out.printf("  JIT compiling %.1f s, GC %.1f s during the phase%n",
                    (ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - phaseCompileMs) / 1e3,
                    (gcMillis() - phaseGcMs) / 1e3);
            Map<String, Long> calls = SdkCallCounter.drain();
            if (!calls.isEmpty()) {
                StringBuilder line = new StringBuilder("  SDK calls per command:");
                calls.forEach((operation, n) -> line.append(String.format(" %s %.2f", operation,
                        n / (double) Math.max(1, latencies.size()))));
                System.out.println(line);
            }
        }
    }

    private static void heap() throws InterruptedException {
        System.gc();
        Thread.sleep(300);
        System.gc();
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.printf("  heap after %d commands: %.1f MB%n", FINISHED.size(), used / 1e6);
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
                        // the service stopped at the end of the run
                    }

                    @Override
                    public void onComplete() {
                    }
                }));
    }
}
