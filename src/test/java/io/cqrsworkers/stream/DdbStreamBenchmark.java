package io.cqrsworkers.stream;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * Records per second through {@code ddb-stream} into a route, and PutItem-to-delivery delay (p50, p99), with the
 * README's low-latency settings, against the embedded DynamoDB. Run: main (args: burstRecords pacedSeconds).
 */
public final class DdbStreamBenchmark {

    static final String LOW_LATENCY = "idleTimeBetweenReadsMs=100&dispatchPollIntervalMs=100&parentShardPollIntervalMs=200"
            + "&batchSize=1000&eventNames=INSERT";

    public static void main(String[] args) throws Exception {
        int burst = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        int pacedSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        try (StreamTestKit kit = new StreamTestKit(null)) {
            String table = kit.createTable();
            List<Long> delays = Collections.synchronizedList(new ArrayList<>());
            AtomicLong delivered = new AtomicLong();
            AtomicLong firstDelivery = new AtomicLong();

            // 1. throughput: a backlog of records waits in the stream, then the route drains it
            ExecutorService writers = Executors.newFixedThreadPool(4);
            CountDownLatch written = new CountDownLatch(burst);
            long writeStart = System.nanoTime();
            for (int i = 0; i < burst; i++) {
                String pk = "burst-" + i;
                writers.execute(() -> {
                    kit.put(table, pk);
                    written.countDown();
                });
            }
            written.await();
            writers.shutdown();
            long writeNanos = System.nanoTime() - writeStart;

            CamelContext context = kit.newContext();
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("ddb-stream:" + table + "?applicationName=bench-" + table + "&" + LOW_LATENCY).routeId("stream")
                            .process(e -> {
                                firstDelivery.compareAndSet(0, System.nanoTime());
                                Record r = e.getIn().getBody(Record.class);
                                delays.add(System.currentTimeMillis() - Long.parseLong(r.dynamodb().newImage().get("writtenAt").n()));
                                delivered.incrementAndGet();
                            });
                }
            });
            long readyStart = System.nanoTime();
            context.start();
            while (StreamTestKit.consumer(context).readiness().call().getState() != HealthCheck.State.UP) {
                Thread.sleep(50);
            }
            System.out.printf("consumer ready after %d ms (KCL waits 1-30 s at random on a new lease table)%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - readyStart));
            while (delivered.get() < burst) {
                Thread.sleep(5);
            }
            long drainNanos = System.nanoTime() - firstDelivery.get();
            System.out.printf("backlog: %d records written in %d ms (%.0f puts/s, 4 writers); drained through the route in %d ms: %.0f records/s%n",
                    burst, TimeUnit.NANOSECONDS.toMillis(writeNanos), burst / (writeNanos / 1e9),
                    TimeUnit.NANOSECONDS.toMillis(drainNanos), burst / (drainNanos / 1e9));

            // 2. latency: 50 puts/s, one at a time, PutItem to delivery
            delays.clear();
            delivered.set(0);
            int paced = pacedSeconds * 50;
            for (int i = 0; i < paced; i++) {
                kit.put(table, "paced-" + i);
                Thread.sleep(20);
            }
            while (delivered.get() < paced) {
                Thread.sleep(5);
            }
            List<Long> sorted = new ArrayList<>(delays);
            Collections.sort(sorted);
            System.out.printf("latency at 50 puts/s over %d records: p50 %d ms, p99 %d ms, max %d ms%n", paced,
                    percentile(sorted, 0.50), percentile(sorted, 0.99), sorted.get(sorted.size() - 1));
            context.stop();
        }
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }
}
