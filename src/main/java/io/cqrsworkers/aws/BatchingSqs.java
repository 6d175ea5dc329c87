package io.cqrsworkers.aws;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.batchmanager.SqsAsyncBatchManager;
import software.amazon.awssdk.services.sqs.model.DeleteMessageRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * An {@link SqsClient} that coalesces the SendMessage and DeleteMessage calls made within a short window into
 * SendMessageBatch and DeleteMessageBatch requests (the SDK's batch manager, up to 10 entries each). A busy worker
 * deletes one message and sends two notifications per step; batched, that is a fraction of the requests.
 * <p>
 * Every other operation goes straight to the plain client. SendMessage blocks until its batch is answered, so
 * senders keep their synchronous semantics and exceptions ({@link Batches#sendMessageAsync} is for those that need
 * not wait). DeleteMessage returns at once: a consumer (Camel's aws2-sqs deletes each message after its exchange) goes
 * back to work instead of waiting for the batch. A delete that fails is logged, and the message comes back after its
 * visibility timeout, as with a consumer that dies before deleting: SQS's at-least-once delivery either way.
 */
public final class BatchingSqs implements InvocationHandler {

    private static final Logger LOG = LoggerFactory.getLogger(BatchingSqs.class);

    /** What the wrapped client offers beyond {@link SqsClient}. */
    public interface Batches {
        /** Sends through the batch; the future fails with the entry's error. */
        CompletableFuture<SendMessageResponse> sendMessageAsync(SendMessageRequest request);

        /** Sends the pending batches and releases the batch manager. */
        void closeBatches();
    }

    private final SqsClient plain;
    private final SqsAsyncBatchManager batches;
    private final ScheduledExecutorService scheduler;

    private BatchingSqs(SqsClient plain, SqsAsyncClient async, Duration window) {
        this.plain = plain;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sqs-batches");
            t.setDaemon(true);
            return t;
        });
        this.batches = SqsAsyncBatchManager.builder()
                .client(async)
                .scheduledExecutor(scheduler)
                .overrideConfiguration(o -> o.sendRequestFrequency(window).maxBatchSize(10))
                .build();
    }

    /**
     * @param plain  the client for every other operation
     * @param async  the client the batches are sent with
     * @param window how long a call waits for others to join its batch
     * @return a client that is also {@link Batches}
     */
    public static SqsClient wrap(SqsClient plain, SqsAsyncClient async, Duration window) {
        return (SqsClient) Proxy.newProxyInstance(BatchingSqs.class.getClassLoader(),
                new Class<?>[] {SqsClient.class, Batches.class}, new BatchingSqs(plain, async, window));
    }

    /** Sends through the batch when the client batches, else at once. */
    public static CompletableFuture<SendMessageResponse> sendAsync(SqsClient client, SendMessageRequest request) {
        if (client instanceof Batches batching) {
            return batching.sendMessageAsync(request);
        }
        try {
            return CompletableFuture.completedFuture(client.sendMessage(request));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Batches.class) {
            if (method.getName().equals("sendMessageAsync")) {
                return batches.sendMessage((SendMessageRequest) args[0]);
            }
            batches.close();
            scheduler.shutdown();
            return null;
        }
        Object request = args != null && args.length == 1 ? args[0] : null;
        if (request instanceof Consumer<?>) {
            // the builder overloads build the request and call the request overloads, handled below
            return InvocationHandler.invokeDefault(proxy, method, args);
        }
        if (request instanceof SendMessageRequest send) {
            try {
                return batches.sendMessage(send).join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        if (request instanceof DeleteMessageRequest delete) {
            batches.deleteMessage(delete).whenComplete((deleted, failure) -> {
                if (failure != null) {
                    LOG.warn("Message not deleted from {} (it will be delivered again): {}", delete.queueUrl(),
                            failure.toString());
                }
            });
            return DeleteMessageResponse.builder().build();
        }
        try {
            return method.invoke(plain, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
