package io.cqrsworkers.localaws.stepfunctions;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.localaws.stepfunctions.runtime.Engine;
import io.cqrsworkers.localaws.stepfunctions.runtime.Execution;
import io.cqrsworkers.localaws.stepfunctions.runtime.StateMachine;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Parks N executions on task tokens (default 100,000; each waits in an inline Map iteration, as every command does
 * in sync_data_all), stops the engine, starts it again on the same data directory and answers every token. Prints
 * the open file descriptors of the process while they are parked, the recovery time, the heap, and the resume rate.
 * Run after {@code mvn test-compile}:
 * {@code java -Xmx4g -cp "target/test-classes:target/classes:$(cat target/cp.txt)" io.cqrsworkers.localaws.stepfunctions.EngineRecoveryBenchmark 100000}
 */
public final class EngineRecoveryBenchmark {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EngineRecoveryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path dir = Files.createTempDirectory("sfn-recovery-bench");
        try (LocalSqs sqs = new LocalSqs()) {
            String queue = sqs.client.createQueue(b -> b.queueName("parked")).queueUrl();
            String definition = """
                    {"StartAt":"Prepare","States":{
                      "Prepare":{"Type":"Pass","Result":[1],"ResultPath":"$.items","Next":"Fan"},
                      "Fan":{"Type":"Map","ItemsPath":"$.items","ItemProcessor":{"StartAt":"Ask","States":{"Ask":{"Type":"Task",
                        "Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                        "Parameters":{"QueueUrl":"%s","MessageBody.$":"$$.Task.Token"},"End":true}}},"End":true}}}""".formatted(queue);
            String machineArn = SfnTestSupport.machineArn("parked");
            List<String> tokens = park(dir, sqs, queue, definition, n);
            long journalBytes;
            try (Stream<Path> files = Files.walk(dir)) {
                journalBytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            }

            long r0 = System.nanoTime();
            StepFunctionsEmulator second = StepFunctionsEmulator.builder().dataDir(dir).sqsEndpoint(sqs.endpoint).build();
            second.start();
            double recoverySeconds = (System.nanoTime() - r0) / 1e9;
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            System.out.printf("restart with %,d parked executions: ready in %.2f s (journal %,d MB); heap after GC %,d MB (%.1f KB per execution); open file descriptors: %d%n",
                    n, recoverySeconds, journalBytes >> 20, heap >> 20, heap / 1024.0 / n, openFiles());

            if (Boolean.getBoolean("bench.histogram")) {
                new ProcessBuilder("jcmd", String.valueOf(ProcessHandle.current().pid()), "GC.class_histogram").inheritIO().start().waitFor();
            }
            Engine resumed = second.engine();
            long a0 = System.nanoTime();
            for (String token : tokens) {
                resumed.tokens().attempt(token).succeed(MAPPER.createObjectNode().put("ok", true));
            }
            List<Execution> all = resumed.executionsOf(machineArn);
            long waitStart = System.nanoTime();
            while (all.stream().anyMatch(Execution::isRunning)) {
                if (System.nanoTime() - waitStart > 600_000_000_000L) {
                    throw new IllegalStateException("executions still running after 10 minutes");
                }
                Thread.sleep(50);
            }
            double resumeSeconds = (System.nanoTime() - a0) / 1e9;
            long succeeded = all.stream().filter(e -> e.status() == Execution.Status.SUCCEEDED).count();
            System.out.printf("answered every token: %,d of %,d SUCCEEDED in %.1f s (%,.0f/s); open file descriptors: %d%n",
                    succeeded, n, resumeSeconds, n / resumeSeconds, openFiles());
            second.close();
            if (succeeded != n) {
                throw new IllegalStateException((n - succeeded) + " executions did not succeed");
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Parks {@code n} executions on a first engine, stops it, and returns their task tokens. */
    private static List<String> park(Path dir, LocalSqs sqs, String queue, String definition, int n) throws Exception {
        StepFunctionsEmulator first = StepFunctionsEmulator.builder().dataDir(dir).sqsEndpoint(sqs.endpoint).build();
        first.start();
        try (SfnClient sfn = SfnTestSupport.client(first)) {
            SfnTestSupport.createMachine(sfn, "parked", definition);
        }
        Engine engine = first.engine();
        StateMachine machine = engine.machine(SfnTestSupport.machineArn("parked"));
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            String name = "p" + i;
            engine.start(machine, engine.arns().execution(machine.name(), name), name, "{\"i\":" + i + "}", null);
        }
        long fds = openFiles();
        List<String> tokens = drain(sqs, queue, n);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.printf("parked %,d executions on task tokens in %.1f s (%,.0f/s); heap after GC %,d MB (%.1f KB per execution); open file descriptors of the process: %d%n",
                n, seconds, n / seconds, heap >> 20, heap / 1024.0 / n, Math.max(fds, openFiles()));
        first.close();
        return tokens;
    }

    private static List<String> drain(LocalSqs sqs, String queue, int n) {
        List<String> tokens = new ArrayList<>(n);
        while (tokens.size() < n) {
            List<Message> batch = sqs.client.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            for (Message m : batch) {
                tokens.add(m.body());
            }
            if (!batch.isEmpty()) {
                sqs.client.deleteMessageBatch(b -> b.queueUrl(queue).entries(batch.stream().map(m ->
                        software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry.builder()
                                .id(m.messageId()).receiptHandle(m.receiptHandle()).build()).toList()));
            }
        }
        return tokens;
    }

    private static long openFiles() throws java.io.IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
