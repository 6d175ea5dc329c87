package io.cqrsworkers.localaws.sqs;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** WaitTimeSeconds: answered as soon as a message arrives, empty at the deadline, and no starving of other calls. */
class LongPollingTest extends SqsTestSupport {

    @Test
    void aWaitingReceiveReturnsAsSoonAsAMessageIsSent() throws Exception {
        String url = createQueue("wake");
        CompletableFuture<List<Message>> waiting = CompletableFuture.supplyAsync(() ->
                sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(10)).messages());
        awaitWaiting(url, 1);
        long t0 = System.nanoTime();
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("wake up"));
        assertThat(waiting.get(5, TimeUnit.SECONDS)).extracting(Message::body).containsExactly("wake up");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(500));
    }

    @Test
    void aWaitingReceiveEndsEmptyAtItsDeadline() {
        String url = createQueue("deadline");
        long t0 = System.nanoTime();
        assertThat(sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(1)).messages()).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(3));
    }

    @Test
    void aWaitingReceiveGetsADelayedMessageWhenItsDelayEnds() throws Exception {
        String url = createQueue("delayed-wake");
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("later").delaySeconds(1));
        long t0 = System.nanoTime();
        List<Message> got = sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(5)).messages();
        assertThat(got).extracting(Message::body).containsExactly("later");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(800), Duration.ofSeconds(3));
    }

    @Test
    void manyParkedLongPollsDoNotStarveSends() throws Exception {
        String url = createQueue("crowd");
        int pollers = 40; // several times the HTTP pool
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(pollers);
        try (SqsClient wide = SqsClient.builder().endpointOverride(emulator.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS).httpClientBuilder(ApacheHttpClient.builder().maxConnections(64))
                .build()) {
            List<CompletableFuture<ReceiveMessageResponse>> polls = new ArrayList<>();
            for (int i = 0; i < pollers; i++) {
                polls.add(CompletableFuture.supplyAsync(() ->
                        wide.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(20)), callers));
            }
            awaitWaiting(url, pollers);
            long t0 = System.nanoTime();
            for (int i = 0; i < pollers; i++) {
                int n = i;
                wide.sendMessage(r -> r.queueUrl(url).messageBody("m" + n));
            }
            int received = 0;
            for (CompletableFuture<ReceiveMessageResponse> p : polls) {
                received += p.get(10, TimeUnit.SECONDS).messages().size();
            }
            assertThat(received).isEqualTo(pollers);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void asyncClientLongPolls() throws Exception {
        try (SqsAsyncClient async = asyncClient(emulator.endpoint())) {
            String url = async.createQueue(r -> r.queueName(name("async"))).get().queueUrl();
            CompletableFuture<ReceiveMessageResponse> waiting =
                    async.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(10));
            awaitWaiting(url, 1);
            async.sendMessage(r -> r.queueUrl(url).messageBody("async")).get();
            assertThat(waiting.get(5, TimeUnit.SECONDS).messages()).extracting(Message::body)
                    .containsExactly("async");
        }
    }

    /** Returns once {@code n} long polls are parked on the queue (what a send must find to prove it wakes them). */
    static void awaitWaiting(String url, int n) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> emulator.waitingReceives(url) == n);
    }
}
