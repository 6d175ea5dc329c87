package io.cqrsworkers.bench;

import io.cqrsworkers.config.AppConfiguration;
import io.cqrsworkers.support.FreePort;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The service on the embedded default as a benchmark runs it: free ports, a fresh data directory. */
final class BenchService {

    private static final String[] SERVICES = {"sqs", "s3", "dynamodb", "stepfunctions"};

    private BenchService() {
    }

    /** Starts the service and the embedded AWS in this JVM; its business port is {@code camel.server.port}. */
    static Main start() throws Exception {
        ports();
        for (String service : SERVICES) {
            System.setProperty("app.local." + service + ".port", "0");
        }
        System.setProperty("app.local.data-dir", Files.createTempDirectory("cqrs-bench").toString());
        return main();
    }

    /**
     * Starts the embedded AWS in a child JVM (heap {@code awsHeap}, e.g. "4g"), then the service in this JVM against
     * it, as in AWS: this JVM's heap is then the service's alone, whatever the tables hold. The child stops when
     * this JVM exits.
     */
    static Main startWithSeparateAws(String awsHeap) throws Exception {
        Path dataDir = Files.createTempDirectory("cqrs-bench-aws");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx" + awsHeap, "-cp", System.getProperty("java.class.path")));
        int[] ports = new int[SERVICES.length];
        for (int i = 0; i < SERVICES.length; i++) {
            ports[i] = FreePort.find("127.0.0.1");
            command.add("-Dapp.local." + SERVICES[i] + ".port=" + ports[i]);
        }
        command.addAll(List.of("-Dapp.local.data-dir=" + dataDir, "-Dcamel.main.profile=local",
                // only the embedded AWS and the resources: no routes
                "-Dcamel.main.routes-builder-classes=" + NoRoutes.class.getName(), "-Dcamel.main.routes-include-pattern=file:routes/none-*.camel.yaml",
                "-Dcamel.server.port=" + FreePort.find("127.0.0.1"),
                "-Dcamel.management.port=" + FreePort.find("127.0.0.1"),
                "-Dlog4j2.configurationFile=" + System.getProperty("log4j2.configurationFile", "log4j2-test.xml"),
                AwsProcess.class.getName()));
        Process aws = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("aws.log").toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(aws::destroy));
        URI stepFunctions = URI.create("http://127.0.0.1:" + ports[3]);
        awaitResources(aws, stepFunctions, dataDir.resolve("aws.log").toFile());

        ports();
        System.setProperty("camel.main.profile", "local");
        System.setProperty("app.local.enabled", "false");
        for (int i = 0; i < SERVICES.length; i++) {
            System.setProperty("aws.endpoint." + SERVICES[i], "http://127.0.0.1:" + ports[i]);
        }
        // the SDK's system-property credentials: the embedded services take any
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");
        return main();
    }

    /** The child has provisioned everything once its state machines exist. */
    private static void awaitResources(Process aws, URI stepFunctions, File log) throws InterruptedException {
        try (SfnClient sfn = SfnClient.builder().endpointOverride(stepFunctions).region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create()).build()) {
            for (int i = 0; i < 1200; i++) {
                if (!aws.isAlive()) {
                    throw new IllegalStateException("The embedded AWS process ended; see " + log);
                }
                try {
                    if (sfn.listStateMachines().stateMachines().size() >= 4) {
                        Thread.sleep(500);
                        return;
                    }
                } catch (RuntimeException notYet) {
                    // still starting
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("The embedded AWS process did not provision in 120 s; see " + log);
    }

    private static void ports() {
        System.setProperty("camel.server.port", String.valueOf(FreePort.find("127.0.0.1")));
        System.setProperty("camel.management.port", String.valueOf(FreePort.find("127.0.0.1")));
    }

    private static Main main() throws Exception {
        Main main = unstarted();
        main.start();
        return main;
    }

    private static Main unstarted() {
        Main main = new Main();
        main.configure().addConfiguration(AppConfiguration.class);
        return main;
    }

    /** The child JVM's routes. */
    public static final class NoRoutes extends RouteBuilder {
        @Override
        public void configure() {
        }
    }

    /** The child JVM of {@link #startWithSeparateAws}: the configuration without routes, until it is stopped. */
    public static final class AwsProcess {
        public static void main(String[] args) throws Exception {
            unstarted().run();
        }
    }

    private static final java.net.http.HttpClient READINESS = java.net.http.HttpClient.newHttpClient();

    /** Waits up to 60 s for the readiness check of the service started in this JVM (its management port). */
    static void awaitReady() throws Exception {
        int management = Integer.parseInt(System.getProperty("camel.management.port"));
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (READINESS.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + management
                        + "/observe/health/ready")).build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("service not ready after 60 s");
    }
}
