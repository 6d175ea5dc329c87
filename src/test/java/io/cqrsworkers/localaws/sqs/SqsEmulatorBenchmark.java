package io.cqrsworkers.localaws.sqs;

import io.cqrsworkers.localaws.emulator.EmbeddedService;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Send / receive / delete round trips through the SDK over HTTP, with 1 and 4 client threads: round trips per second,
 * requests per second and process CPU microseconds per request. Client and server share this JVM: the first CPU figure
 * includes the SDK client's own cost, the second leaves out the CPU of the client threads (the Apache client works on
 * the calling thread), which is about the server's share. In memory, then with a data directory (a temporary one, left
 * for the operating system to clean). Not a test (surefire skips *Benchmark). Run with:
 *
 * <pre>
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *     io.cqrsworkers.localaws.sqs.SqsEmulatorBenchmark [secondsPerRun]
 * </pre>
 */
public final class SqsEmulatorBenchmark {

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        // two passes warm up the JIT for the SDK client and the emulator alike (on a busy 2-core machine one is not
        // enough); their numbers are not reported
        measure(null, seconds, false);
        measure(null, seconds, false);
        System.out.println("== in memory");
        measure(null, seconds, true);
        Path dir = Files.createTempDirectory("sqs-bench");
        System.out.println("== with a data directory (every send, receive and delete journaled)");
        measure(dir, seconds, true);
        System.exit(0);
    }

    private static void measure(Path dataDir, int seconds, boolean print) throws Exception {
        try (EmbeddedService sqs = SqsEmulator.builder().dataDir(dataDir).build()) {
            sqs.start();
            try (SqsClient client = SqsClient.builder().endpointOverride(sqs.endpoint()).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
                    .httpClientBuilder(ApacheHttpClient.builder().maxConnections(32)).build()) {
                String url = client.createQueue(r -> r.queueName("bench")).queueUrl();
                for (int threads : new int[] {1, 4}) {
                    run(client, url, threads, seconds, print);
                }
            }
        }
    }

    private static void run(SqsClient client, String url, int threads, int seconds, boolean print)
            throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong roundTrips = new AtomicLong();
        AtomicLong clientCpuNanos = new AtomicLong();
        CountDownLatch done = new CountDownLatch(threads);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                long own0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                try {
                    while (!stop.get()) {
                        client.sendMessage(r -> r.queueUrl(url).messageBody("{\"hello\":\"world\"}"));
                        List<Message> got = client.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(1))
                                .messages();
                        for (Message m : got) {
                            client.deleteMessage(r -> r.queueUrl(url).receiptHandle(m.receiptHandle()));
                        }
                        roundTrips.incrementAndGet();
                    }
                } finally {
                    clientCpuNanos.addAndGet(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - own0);
                    done.countDown();
                }
            });
            worker.start();
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        done.await();
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long cpuMicros = (os.getProcessCpuTime() - cpu0) / 1000;
        long serverMicros = cpuMicros - clientCpuNanos.get() / 1000;
        long requests = roundTrips.get() * 3;
        if (print) {
            System.out.printf("%d thread(s): %.0f round trips/s, %.0f requests/s, CPU per request: %.0f µs in all,"
                            + " %.0f µs outside the SDK client's threads (server, GC, JIT)%n",
                    threads, roundTrips.get() / elapsed, requests / elapsed, (double) cpuMicros / requests,
                    (double) serverMicros / requests);
        }
    }
}
