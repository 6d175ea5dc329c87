package io.cqrsworkers.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * CPU of an idle service: the packaged service started as the README runs it (local profile, every AWS service
 * embedded; see {@link PackagedService}), then nothing but waiting. Prints, for each window after readiness, the
 * process CPU as a share of the machine, the JIT compiler's and the GC's time in it (the child's MXBeans), the
 * threads that used the CPU (/proc), and with {@code -Dbench.count-calls=true} the AWS calls of the service's own
 * clients by operation and caller.
 *
 * <pre>
 * mvn -B -q package -DskipTests
 * mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp "target/test-classes:target/classes:$(cat target/cp.txt)" io.cqrsworkers.bench.IdleBenchmark [seconds=60] [windows=1]
 * </pre>
 * {@code -Dbench.jvm-args="..."}: JVM options of the service (e.g. an AppCDS archive).
 */
public final class IdleBenchmark {

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int windows = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        boolean countCalls = Boolean.getBoolean("bench.count-calls");
        int cores = Runtime.getRuntime().availableProcessors();
        Path calls = null;
        try (PackagedService service = countCalls
                ? PackagedService.start("-Dcqrs.aws.record-calls=" + (calls = Files.createTempFile("idle-calls", ".tsv")))
                : PackagedService.start()) {
            long ready = service.awaitReady(Duration.ofMinutes(5));
            System.out.printf("service %s, JVM options %s%n  ready after %d ms (its own line: %d ms); load %s%n",
                    "java -jar target/cqrs-workers.jar", service.jvmArgs, ready, service.readyLineMillis(), load());
            for (int w = 1; w <= windows; w++) {
                Probe.Sample before = service.sample();
                Map<String, Long> threadsBefore = service.threadTicks();
                long callsBefore = calls == null ? 0 : Files.lines(calls).count();
                Thread.sleep(seconds * 1000L);
                Probe.Sample after = service.sample();
                Map<String, Long> threads = PackagedService.threadCpuMillis(threadsBefore, service.threadTicks());
                double wall = (after.nanos() - before.nanos()) / 1e9;
                double cpuMs = (after.cpuNanos() - before.cpuNanos()) / 1e6;
                System.out.printf("idle window %d (%.0f-%.0f s after readiness): process CPU %.0f ms = %.2f%% of the "
                                + "machine (%d cores); JIT %d ms, GC %d ms (%d collections); %d threads; load %s%n",
                        w, (before.nanos() - service.startNanos()) / 1e9 - ready / 1e3,
                        (after.nanos() - service.startNanos()) / 1e9 - ready / 1e3, cpuMs,
                        100 * cpuMs / 1000 / wall / cores, cores, after.jitMs() - before.jitMs(),
                        after.gcMs() - before.gcMs(), after.gcCount() - before.gcCount(), service.threadCount(), load());
                System.out.println("  CPU by thread (ms): " + threads.entrySet().stream().limit(16)
                        .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
                if (calls != null) {
                    List<String> lines = Files.readAllLines(calls);
                    Map<String, Long> byCall = new TreeMap<>();
                    for (String line : lines.subList((int) callsBefore, lines.size())) {
                        String[] f = line.split("\t");
                        String origin = f.length > 3 ? f[3].substring(f[3].lastIndexOf('.') + 1) : "?";
                        byCall.merge(f[0] + " " + f[1] + " (" + origin + ")", 1L, Long::sum);
                    }
                    System.out.printf("  AWS calls of the service's clients: %.1f/s: %s%n",
                            (lines.size() - callsBefore) / wall, byCall.entrySet().stream()
                                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
                }
            }
            long stop = System.nanoTime();
            service.close();
            System.out.printf("stopped (SIGTERM) in %.1f s%n", (System.nanoTime() - stop) / 1e9);
        }
        System.exit(0);
    }

    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "?";
        }
    }
}
