package io.cqrsworkers.awsprofile;

import io.cqrsworkers.chaos.ServiceProcess;
import io.cqrsworkers.support.FreePort;
import io.cqrsworkers.localaws.dynamodb.DynamoDbEmulator;
import io.cqrsworkers.localaws.sqs.SqsEmulator;
import io.cqrsworkers.localaws.stepfunctions.StepFunctionsEmulator;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The AWS services the aws profile talks to, each in a process of its own on a free port with its data under
 * {@code <dir>/<service>}: SQS, DynamoDB with Streams, S3 and Step Functions (its sqs, s3 and dynamodb integrations
 * pointed at the other three). Region us-east-1, account 000000000000 (the emulators' defaults). Nothing is created
 * here: {@link CloudFormationApplier} creates the resources from the synthesized template.
 */
final class StandInAws implements AutoCloseable {

    static final String REGION = "us-east-1";
    static final String ACCOUNT = "000000000000";

    private record Child(String name, int port, Process process, Path log) {
    }

    private final Path dir;
    private final Map<String, Child> children = new LinkedHashMap<>();

    private StandInAws(Path dir) {
        this.dir = dir;
    }

    /** Starts SQS, DynamoDB and S3 side by side, then Step Functions; returns once each accepts connections. */
    static StandInAws start(Path dir, Duration timeout) throws IOException, InterruptedException {
        StandInAws aws = new StandInAws(dir);
        try {
            aws.launch("sqs", SqsEmulator.class, Map.of());
            aws.launch("dynamodb", DynamoDbEmulator.class, Map.of());
            aws.launch("s3", S3Standalone.class, Map.of());
            long deadline = System.nanoTime() + timeout.toNanos();
            for (String name : List.of("sqs", "dynamodb", "s3")) {
                aws.awaitListening(name, deadline);
            }
            aws.launch("stepfunctions", StepFunctionsEmulator.class, Map.of(
                    "SQS_ENDPOINT", aws.endpoint("sqs").toString(),
                    "S3_ENDPOINT", aws.endpoint("s3").toString(),
                    "DYNAMODB_ENDPOINT", aws.endpoint("dynamodb").toString()));
            aws.awaitListening("stepfunctions", deadline);
            return aws;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            aws.close();
            throw e;
        }
    }

    private void launch(String name, Class<?> main, Map<String, String> env) throws IOException {
        int port = FreePort.find("127.0.0.1");
        Path data = dir.resolve(name);
        Files.createDirectories(data);
        Path log = dir.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dsun.net.httpserver.nodelay=true",
                "-cp", ServiceProcess.runtimeClasspath() + File.pathSeparator
                        + Path.of("target", "test-classes").toAbsolutePath(),
                main.getName(), String.valueOf(port), data.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        children.put(name, new Child(name, port, builder.start(), log));
    }

    private void awaitListening(String name, long deadline) throws InterruptedException {
        Child child = children.get(name);
        while (System.nanoTime() < deadline) {
            if (!child.process().isAlive()) {
                throw new AssertionError(name + " stand-in ended (exit " + child.process().exitValue() + "):\n"
                        + ServiceProcess.tail(child.log(), 30));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", child.port()), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError(name + " stand-in not listening on " + child.port() + " in time:\n"
                + ServiceProcess.tail(child.log(), 30));
    }

    URI endpoint(String name) {
        return URI.create("http://127.0.0.1:" + children.get(name).port());
    }

    URI sqs() {
        return endpoint("sqs");
    }

    URI dynamoDb() {
        return endpoint("dynamodb");
    }

    URI s3() {
        return endpoint("s3");
    }

    URI stepFunctions() {
        return endpoint("stepfunctions");
    }

    /** The SDK's standard variables that point a client at these services (plus region and static credentials). */
    Map<String, String> sdkEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_REGION", REGION);
        env.put("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE");
        env.put("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_ENDPOINT_URL_SQS", sqs().toString());
        env.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoDb().toString());
        env.put("AWS_ENDPOINT_URL_DYNAMODB_STREAMS", dynamoDb().toString());
        // a host name, as an S3-compatible store usually has: the SDK sends path-style requests to an IP literal on
        // its own, but virtual-hosted ones (bucket.localhost) to a name unless aws.s3.path-style says otherwise
        env.put("AWS_ENDPOINT_URL_S3", "http://localhost:" + children.get("s3").port());
        env.put("AWS_ENDPOINT_URL_SFN", stepFunctions().toString());
        return env;
    }

    /** Which stand-ins still run (all of them, unless one crashed). */
    List<String> dead() {
        List<String> dead = new ArrayList<>();
        children.forEach((name, child) -> {
            if (!child.process().isAlive()) {
                dead.add(name + " (exit " + child.process().exitValue() + ")");
            }
        });
        return dead;
    }

    @Override
    public void close() {
        List<Child> reversed = new ArrayList<>(children.values());
        java.util.Collections.reverse(reversed);
        for (Child child : reversed) {
            child.process().destroy();
        }
        for (Child child : reversed) {
            try {
                if (!child.process().waitFor(10, TimeUnit.SECONDS)) {
                    child.process().destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                child.process().destroyForcibly();
            }
        }
    }

    static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
