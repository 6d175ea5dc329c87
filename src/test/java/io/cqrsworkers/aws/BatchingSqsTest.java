package io.cqrsworkers.aws;

import io.cqrsworkers.localaws.sqs.SqsEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The batching client against the SQS emulator: the same results as the plain client. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchingSqsTest {

    private SqsEmulator sqs;
    private SqsClient plain;
    private SqsClient batching;
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

    @BeforeAll
    void start() throws Exception {
        sqs = SqsEmulator.builder().build();
        sqs.start();
        plain = SqsClient.builder().endpointOverride(sqs.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                        requests.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                                k -> new AtomicInteger()).incrementAndGet();
                    }
                })).build();
        batching = BatchingSqs.wrap(plain, 2);
    }

    @AfterAll
    void stop() {
        ((BatchingSqs.Batches) batching).closeBatches();
        plain.close();
        sqs.close();
    }

    @Test
    void concurrentSendsAndDeletesShareBatchesAndLoseNothing() {
        String queue = batching.createQueue(b -> b.queueName("batched")).queueUrl();
        List<CompletableFuture<SendMessageResponse>> sends = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String body = "m" + i;
            sends.add(CompletableFuture.supplyAsync(() -> batching.sendMessage(b -> b.queueUrl(queue).messageBody(body))));
        }
        sends.forEach(s -> assertThat(s.join().messageId()).isNotBlank());

        Set<String> received = new HashSet<>();
        while (received.size() < 50) {
            List<Message> messages = batching.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10)
                    .waitTimeSeconds(1)).messages();
            for (Message m : messages) {
                received.add(m.body());
                batching.deleteMessage(b -> b.queueUrl(queue).receiptHandle(m.receiptHandle()));
            }
        }
        assertThat(received).hasSize(50).contains("m0", "m49");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(plain.getQueueAttributes(b -> b
                        .queueUrl(queue).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes())
                .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0")
                .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"));
    }

    @Test
    void callsMadeWhileABatchIsOnTheWireLeaveTogether() {
        String queue = batching.createQueue(b -> b.queueName("together")).queueUrl();
        int before = requests.getOrDefault("SendMessageBatch", new AtomicInteger()).get();
        List<CompletableFuture<SendMessageResponse>> sends = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            sends.add(BatchingSqs.sendAsync(batching, SendMessageRequest.builder().queueUrl(queue)
                    .messageBody("n" + i).build()));
        }
        sends.forEach(CompletableFuture::join);
        int batches = requests.get("SendMessageBatch").get() - before;
        assertThat(batches).isBetween(5, 20);
        List<String> bodies = new ArrayList<>();
        while (bodies.size() < 50) {
            batching.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()
                    .forEach(m -> bodies.add(m.body()));
        }
        assertThat(bodies).hasSize(50).contains("n0", "n49").doesNotHaveDuplicates();
    }

    @Test
    void aSendToAMissingQueueFailsLikeThePlainClient() {
        String missing = sqs.endpoint() + "/000000000000/no-such-queue";
        assertThatThrownBy(() -> plain.sendMessage(b -> b.queueUrl(missing).messageBody("x")))
                .isInstanceOf(QueueDoesNotExistException.class);
        assertThatThrownBy(() -> batching.sendMessage(b -> b.queueUrl(missing).messageBody("x")))
                .isInstanceOf(QueueDoesNotExistException.class);
        assertThat(BatchingSqs.sendAsync(batching, SendMessageRequest.builder().queueUrl(missing).messageBody("x")
                .build())).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(QueueDoesNotExistException.class);
    }

    @Test
    void otherOperationsGoToThePlainClient() {
        String queue = batching.createQueue(b -> b.queueName("plain-ops")).queueUrl();
        assertThat(batching.listQueues().queueUrls()).contains(queue);
        assertThat(batching.getQueueUrl(b -> b.queueName("plain-ops")).queueUrl()).isEqualTo(queue);
    }
}
