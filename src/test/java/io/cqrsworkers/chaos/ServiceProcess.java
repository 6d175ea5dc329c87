package io.cqrsworkers.chaos;

import io.cqrsworkers.support.FreePort;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The packaged service (io.cqrsworkers.Application, the jar's main class, on the runtime classpath) as a child
 * process in its own working directory. {@link #ServiceProcess(Path)}: the local profile, whose embedded AWS keeps its
 * data under {@code <dir>/.local-aws}; every port is chosen once and kept across restarts: the state machines carry
 * the SQS queue URLs, and a restart must find its services where the previous run left them.
 * {@link #ServiceProcess(Path, Map)}: any profile, configured by environment variables only (as in a container),
 * e.g. the aws profile against AWS stand-ins (io.cqrsworkers.awsprofile).
 */
public final class ServiceProcess implements AutoCloseable {

    /** Test-scoped artifacts of pom.xml (and theirs) that the packaged service does not carry in target/lib. */
    private static final Pattern TEST_ONLY = Pattern.compile(
            "[/\\\\](org[/\\\\](junit|opentest4j|apiguardian|assertj|awaitility|hamcrest)[/\\\\]"
                    + "|org[/\\\\]apache[/\\\\]camel[/\\\\]camel-test)");

    public static final String PREFIX = "chaos-";
    public static final String ACCOUNT = "000000000000";

    final Path workDir;
    public final int serverPort = FreePort.find("127.0.0.1");
    public final int managementPort = FreePort.find("127.0.0.1");
    public final int sqsPort;
    public final int s3Port;
    public final int dynamoDbPort;
    public final int stepFunctionsPort;
    /** null: the local profile with the ports above; else the whole environment of the child beyond PATH etc. */
    private final Map<String, String> environment;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private int starts;

    /** The local profile with its embedded AWS, prefix {@value #PREFIX}. */
    public ServiceProcess(Path workDir) {
        this.workDir = workDir;
        this.environment = null;
        this.sqsPort = FreePort.find("127.0.0.1");
        this.s3Port = FreePort.find("127.0.0.1");
        this.dynamoDbPort = FreePort.find("127.0.0.1");
        this.stepFunctionsPort = FreePort.find("127.0.0.1");
    }

    /**
     * The service configured by these environment variables (CAMEL_MAIN_PROFILE, AWS_*, NODE_ENV, ...) and
     * {@link #serverPort} / {@link #managementPort} (as system properties). The child inherits
     * no AWS_*, CAMEL_*, APP_*, NODE_ENV or APP_NAME variable of this machine.
     */
    public ServiceProcess(Path workDir, Map<String, String> environment) {
        this.workDir = workDir;
        this.environment = Map.copyOf(environment);
        this.sqsPort = this.s3Port = this.dynamoDbPort = this.stepFunctionsPort = -1;
    }

    /** The JVM command: {@code -Dchaos.jar=target/cqrs-workers.jar} runs the packaged jar itself. */
    private List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(environment == null ? "-Xmx1g" : "-Xmx512m");
        command.add("-XX:+HeapDumpOnOutOfMemoryError");
        command.add("-XX:HeapDumpPath=" + workDir);
        if (environment == null) {
            command.add("-Dcamel.main.profile=local");
            command.add("-Dapp.prefix=" + PREFIX);
            command.add("-Dcamel.server.port=" + serverPort);
            command.add("-Dcamel.management.port=" + managementPort);
            command.add("-Dapp.local.sqs.port=" + sqsPort);
            command.add("-Dapp.local.s3.port=" + s3Port);
            command.add("-Dapp.local.dynamodb.port=" + dynamoDbPort);
            command.add("-Dapp.local.stepfunctions.port=" + stepFunctionsPort);
        } else {
            // system properties: camel-main takes its server settings from them and the properties files, not from
            // CAMEL_SERVER_PORT (which only the placeholders see)
            command.add("-Dcamel.server.port=" + serverPort);
            command.add("-Dcamel.management.port=" + managementPort);
            // the aws profile listens on 0.0.0.0 (a container's network); a test machine keeps it to itself
            command.add("-Dcamel.server.host=127.0.0.1");
            command.add("-Dcamel.management.host=127.0.0.1");
        }
        String jar = System.getProperty("chaos.jar");
        if (jar != null && !jar.isBlank()) {
            command.add("-jar");
            command.add(Path.of(jar).toAbsolutePath().toString());
        } else {
            command.add("-cp");
            command.add(runtimeClasspath());
            command.add("io.cqrsworkers.Application");
        }
        return command;
    }

    /**
     * What the jar runs: target/classes (the jar's content) and the runtime dependencies (target/lib). In the test
     * phase the jar does not exist yet; surefire's java.class.path is target/test-classes, target/classes and every
     * dependency, so this keeps all but the test classes (their log4j2-test.xml, test routes) and the test-scoped
     * artifacts.
     */
    public static String runtimeClasspath() {
        Path classes = Path.of("target", "classes").toAbsolutePath();
        Path testClasses = Path.of("target", "test-classes").toAbsolutePath();
        List<String> entries = new ArrayList<>();
        entries.add(classes.toString());
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path path = Path.of(entry).toAbsolutePath();
            if (path.equals(classes) || path.equals(testClasses) || TEST_ONLY.matcher(path.toString()).find()) {
                continue;
            }
            entries.add(path.toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    /** What the child runs, for the test's log. */
    public String describe() {
        String jar = System.getProperty("chaos.jar");
        if (jar != null && !jar.isBlank()) {
            return "java -jar " + jar;
        }
        String[] entries = runtimeClasspath().split(File.pathSeparator);
        long left = System.getProperty("java.class.path").split(File.pathSeparator).length - entries.length;
        return "java -cp target/classes + " + (entries.length - 1) + " runtime jars (" + left
                + " test-only entries left out) io.cqrsworkers.Application";
    }

    /** Starts the service on the same directory and ports; its output goes to service-<n>.log. */
    public Path start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        Path log = workDir.resolve("service-" + starts++ + ".log");
        ProcessBuilder builder = new ProcessBuilder(command()).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        // the local profile, the prefix and the ports above, whatever the machine's environment says
        env.remove("CAMEL_MAIN_PROFILE");
        env.remove("NODE_ENV");
        env.remove("APP_NAME");
        if (environment != null) {
            env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("CAMEL_") || k.startsWith("APP_"));
            env.putAll(environment);
        }
        process = builder.start();
        return log;
    }

    /** Waits until /observe/health/ready answers 200; fails with the log's tail if the process ends first. */
    public long awaitReady(Duration timeout, Path log) throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        URI ready = URI.create("http://127.0.0.1:" + managementPort + "/observe/health/ready");
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("The service ended (exit " + process.exitValue() + ") before it was ready; "
                        + "the end of " + log + ":\n" + tail(log, 40));
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5))
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return (System.nanoTime() - started) / 1_000_000;
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("The service was not ready within " + timeout.toSeconds() + " s (last answer: "
                + last + "); the end of " + log + ":\n" + tail(log, 40));
    }

    /** Waits for the process to end on its own; returns its exit code, or fails with the log's tail. */
    public int awaitExit(Duration timeout, Path log) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("The service still runs " + timeout.toSeconds() + " s after its start; the end of "
                    + log + ":\n" + tail(log, 40));
        }
        return process.exitValue();
    }

    /** SIGKILL (Process.destroyForcibly on Linux); returns the exit code. */
    public int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("The service did not die within 30 s of SIGKILL");
        }
        return process.exitValue();
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public String api() {
        return "http://127.0.0.1:" + serverPort + "/api";
    }

    public URI endpoint(int port) {
        return URI.create("http://127.0.0.1:" + port);
    }

    public static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (alive()) {
            kill();
        }
    }
}
