package io.cqrsworkers.chaos;

import io.cqrsworkers.localaws.FreePort;

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
 * process in its own working directory, so its embedded AWS keeps its data under {@code <dir>/.local-aws}. Every
 * port is chosen once and kept across restarts: the state machines carry the SQS queue URLs, and a restart must
 * find its services where the previous run left them.
 */
final class ServiceProcess implements AutoCloseable {

    /** Test-scoped artifacts of pom.xml (and theirs) that the packaged service does not carry in target/lib. */
    private static final Pattern TEST_ONLY = Pattern.compile(
            "[/\\\\](org[/\\\\](junit|opentest4j|apiguardian|assertj|awaitility|hamcrest)[/\\\\]"
                    + "|org[/\\\\]apache[/\\\\]camel[/\\\\]camel-test)");

    static final String PREFIX = "chaos-";
    static final String ACCOUNT = "000000000000";

    final Path workDir;
    final int serverPort = FreePort.find("127.0.0.1");
    final int managementPort = FreePort.find("127.0.0.1");
    final int sqsPort = FreePort.find("127.0.0.1");
    final int s3Port = FreePort.find("127.0.0.1");
    final int dynamoDbPort = FreePort.find("127.0.0.1");
    final int stepFunctionsPort = FreePort.find("127.0.0.1");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private int starts;

    ServiceProcess(Path workDir) {
        this.workDir = workDir;
    }

    /** The JVM command: {@code -Dchaos.jar=target/cqrs-workers.jar} runs the packaged jar itself. */
    private List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        command.add("-XX:+HeapDumpOnOutOfMemoryError");
        command.add("-XX:HeapDumpPath=" + workDir);
        command.add("-Dcamel.main.profile=local");
        command.add("-Dapp.prefix=" + PREFIX);
        command.add("-Dcamel.server.port=" + serverPort);
        command.add("-Dcamel.management.port=" + managementPort);
        command.add("-Dapp.local.sqs.port=" + sqsPort);
        command.add("-Dapp.local.s3.port=" + s3Port);
        command.add("-Dapp.local.dynamodb.port=" + dynamoDbPort);
        command.add("-Dapp.local.stepfunctions.port=" + stepFunctionsPort);
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
    static String runtimeClasspath() {
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
    String describe() {
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
    Path start() throws IOException {
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
        process = builder.start();
        return log;
    }

    /** Waits until /observe/health/ready answers 200; fails with the log's tail if the process ends first. */
    long awaitReady(Duration timeout, Path log) throws InterruptedException {
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

    /** SIGKILL (Process.destroyForcibly on Linux); returns the exit code. */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("The service did not die within 30 s of SIGKILL");
        }
        return process.exitValue();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    String api() {
        return "http://127.0.0.1:" + serverPort + "/api";
    }

    URI endpoint(int port) {
        return URI.create("http://127.0.0.1:" + port);
    }

    static String tail(Path file, int lines) {
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
