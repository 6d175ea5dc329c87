package io.cqrsworkers.bench;

import io.cqrsworkers.support.FreePort;

import javax.management.MBeanServerConnection;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The service as the README runs it ({@code java -jar target/cqrs-workers.jar} from the repository, so the local
 * profile with every AWS service embedded), as a child process of a benchmark: its own data directory and free ports,
 * JVM options from {@code -Dbench.jvm-args} (split on spaces; e.g. {@code "-XX:SharedArchiveFile=target/app.jsa"}).
 * {@code -Dbench.jar} names another jar. The figures a benchmark reads come from the child's own MXBeans (JMX through
 * the attach API's local management agent), its threads' CPU from /proc.
 */
final class PackagedService implements AutoCloseable {

    final Path dataDir;
    final int serverPort = FreePort.find("127.0.0.1");
    final int managementPort = FreePort.find("127.0.0.1");
    final List<String> jvmArgs;
    final Path log;
    private final Process process;
    private final long startNanos;
    private long readyNanos;
    private JMXConnector jmx;
    private MBeanServerConnection mbeans;
    private final List<long[]> gcPauses = new CopyOnWriteArrayList<>();

    private PackagedService(List<String> jvmArgs, List<String> extraProperties) throws IOException {
        this.jvmArgs = jvmArgs;
        this.dataDir = Files.createTempDirectory("cqrs-bench-service");
        this.log = dataDir.resolve("service.log");
        Path jar = Path.of(System.getProperty("bench.jar", "target/cqrs-workers.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run `mvn -B -q package -DskipTests` first");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-Dapp.local.data-dir=" + dataDir.resolve("aws"));
        command.add("-Dcamel.server.port=" + serverPort);
        command.add("-Dcamel.management.port=" + managementPort);
        for (String service : new String[]{"sqs", "s3", "dynamodb", "stepfunctions"}) {
            command.add("-Dapp.local." + service + ".port=" + FreePort.find("127.0.0.1"));
        }
        command.addAll(extraProperties);
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command).directory(Path.of("").toAbsolutePath().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("CAMEL_") || k.startsWith("AWS_")
                || k.equals("NODE_ENV") || k.equals("APP_NAME"));
        startNanos = System.nanoTime();
        process = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
    }

    /** Starts the packaged service with {@code -Dbench.jvm-args} and {@code extraProperties} (-D...). */
    static PackagedService start(String... extraProperties) throws IOException {
        String args = System.getProperty("bench.jvm-args", "").trim();
        return new PackagedService(args.isEmpty() ? List.of() : Arrays.asList(args.split("\\s+")),
                List.of(extraProperties));
    }

    /** Waits for /observe/health/ready, then connects to the child's MXBeans; returns ms from the launch. */
    long awaitReady(Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        URI ready = URI.create("http://127.0.0.1:" + managementPort + "/observe/health/ready");
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The service ended before it was ready; see " + log);
            }
            try {
                if (http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    readyNanos = System.nanoTime();
                    connect();
                    return TimeUnit.NANOSECONDS.toMillis(readyNanos - startNanos);
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("The service was not ready in " + timeout.toSeconds() + " s; see " + log);
    }

    /** The service's own "ready in N ms" line (JVM start to every readiness check UP), or -1. */
    long readyLineMillis() throws IOException {
        try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains(" ready in ")).findFirst()
                    .map(l -> l.replaceAll(".* ready in (\\d+) ms.*", "$1")).map(Long::parseLong).orElse(-1L);
        }
    }

    long startNanos() {
        return startNanos;
    }

    long pid() {
        return process.pid();
    }

    private void connect() throws Exception {
        com.sun.tools.attach.VirtualMachine vm = com.sun.tools.attach.VirtualMachine.attach(Long.toString(pid()));
        try {
            jmx = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
        } finally {
            vm.detach();
        }
        mbeans = jmx.getMBeanServerConnection();
        // every GC pause with its end time, from the collectors' notifications
        for (ObjectName gc : mbeans.queryNames(new ObjectName(ManagementFactory.GARBAGE_COLLECTOR_MXBEAN_DOMAIN_TYPE
                + ",*"), null)) {
            NotificationListener listener = (Notification n, Object handback) -> {
                if (!"com.sun.management.gc.notification".equals(n.getType())) {
                    return;
                }
                CompositeData info = (CompositeData) n.getUserData();
                CompositeData gcInfo = (CompositeData) info.get("gcInfo");
                long duration = (Long) gcInfo.get("duration");
                gcPauses.add(new long[]{System.nanoTime(), duration, info.get("gcName").toString().hashCode()});
            };
            mbeans.addNotificationListener(gc, listener, null, null);
        }
    }

    /** The child's figures now: process CPU, JIT and GC time (ms), GC count. */
    Probe.Sample sample() {
        try {
            var os = ManagementFactory.newPlatformMXBeanProxy(mbeans, ManagementFactory.OPERATING_SYSTEM_MXBEAN_NAME,
                    com.sun.management.OperatingSystemMXBean.class);
            CompilationMXBean jit = ManagementFactory.newPlatformMXBeanProxy(mbeans,
                    ManagementFactory.COMPILATION_MXBEAN_NAME, CompilationMXBean.class);
            long gcMs = 0;
            long gcCount = 0;
            for (ObjectName name : mbeans.queryNames(new ObjectName(
                    ManagementFactory.GARBAGE_COLLECTOR_MXBEAN_DOMAIN_TYPE + ",*"), null)) {
                GarbageCollectorMXBean gc = ManagementFactory.newPlatformMXBeanProxy(mbeans, name.toString(),
                        GarbageCollectorMXBean.class);
                gcMs += Math.max(0, gc.getCollectionTime());
                gcCount += Math.max(0, gc.getCollectionCount());
            }
            java.lang.management.ClassLoadingMXBean classes = ManagementFactory.newPlatformMXBeanProxy(mbeans,
                    ManagementFactory.CLASS_LOADING_MXBEAN_NAME, java.lang.management.ClassLoadingMXBean.class);
            return new Probe.Sample(System.nanoTime(), os.getProcessCpuTime(), jit.getTotalCompilationTime(), gcMs,
                    gcCount, classes.getTotalLoadedClassCount());
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read the service's MXBeans", e);
        }
    }

    /** GC pauses that ended in [from, to) (System.nanoTime()): {end, duration ms}. */
    List<long[]> gcPauses(long from, long to) {
        return gcPauses.stream().filter(p -> p[0] >= from && p[0] < to).collect(Collectors.toList());
    }

    /**
     * CPU ticks (clock ticks, 100 per second on Linux) of each live thread of the child by its native name with
     * digits folded ({@code C2 CompilerThre}, {@code G1 Conc#N}, ...), from /proc/pid/task/N/stat.
     */
    Map<String, Long> threadTicks() {
        Map<String, Long> ticks = new HashMap<>();
        Path tasks = Path.of("/proc", Long.toString(pid()), "task");
        try (Stream<Path> ids = Files.list(tasks)) {
            for (Path task : ids.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    String name = stat.substring(open + 1, close);
                    String[] f = stat.substring(close + 2).split(" ");
                    // fields 14 and 15 (utime, stime) are at 11 and 12 after the name
                    long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    ticks.merge(task.getFileName() + "\t" + name, t, Long::sum);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return ticks;
    }

    /** CPU ms per thread group between two {@link #threadTicks} snapshots, largest first. */
    static Map<String, Long> threadCpuMillis(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> groups = new HashMap<>();
        after.forEach((key, t) -> {
            long delta = t - before.getOrDefault(key, 0L);
            String name = key.substring(key.indexOf('\t') + 1).replaceAll("\\d+", "N");
            groups.merge(name, delta * 10, Long::sum);
        });
        return groups.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    int threadCount() {
        try (Stream<Path> ids = Files.list(Path.of("/proc", Long.toString(pid()), "task"))) {
            return (int) ids.count();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Files named snapshot-* under the data directory: the emulators' journal snapshots (path -> size). */
    Map<String, Long> snapshots() {
        try (Stream<Path> all = Files.walk(dataDir.resolve("aws"))) {
            return all.filter(p -> p.getFileName().toString().startsWith("snapshot-"))
                    .sorted(Comparator.naturalOrder())
                    .collect(Collectors.toMap(p -> dataDir.resolve("aws").relativize(p).toString(),
                            p -> p.toFile().length(), (a, b) -> a, LinkedHashMap::new));
        } catch (IOException | java.io.UncheckedIOException e) {
            return Map.of();
        }
    }

    @Override
    public void close() throws Exception {
        if (!process.isAlive()) {
            return;
        }
        if (jmx != null) {
            try {
                jmx.close();
            } catch (IOException ignored) {
                // the child is going away
            }
        }
        process.destroy();
        // a graceful stop takes up to camel.main.shutdown-timeout; a CDS dump at exit (-XX:ArchiveClassesAtExit) more
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
