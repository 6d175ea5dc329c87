package io.cqrsworkers.aws;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An {@link SqsClient} whose SendMessage and DeleteMessage calls travel as SendMessageBatch and DeleteMessageBatch
 * requests. Nothing waits for a batch to fill: a few sender threads take whatever is pending for a queue (up to 10
 * entries, 256 KiB), so an idle client sends each call at once and a busy one sends batches that formed while the
 * previous request was on the wire. A busy worker deletes one message and sends two notifications per step; batched,
 * that is a fraction of the requests.
 * <p>
 * Every other operation goes straight to the plain client. SendMessage blocks until its entry is answered, so
 * senders keep their synchronous semantics and exceptions ({@link Batches#sendMessageAsync} is for those that need
 * not wait). DeleteMessage returns at once: a consumer (Camel's aws2-sqs deletes each message after its exchange) goes
 * back to work. A delete that fails is logged, and the message comes back after its visibility timeout, as with a
 * consumer that dies before deleting: SQS's at-least-once delivery either way. Entries for one queue are sent in the
 * order they were given.
 */
public final class BatchingSqs implements InvocationHandler {

    private static final Logger LOG = LoggerFactory.getLogger(BatchingSqs.class);
    private static final int MAX_ENTRIES = 10;
    private static final int MAX_BATCH_BYTES = 256 * 1024;

    /** What the wrapped client offers beyond {@link SqsClient}. */
    public interface Batches {
        /** Sends through the batches; the future fails with the entry's error. */
        CompletableFuture<SendMessageResponse> sendMessageAsync(SendMessageRequest request);

        /** Sends what is pending and stops the sender threads. */
        void closeBatches();
    }

    private record Key(String queueUrl, boolean delete) {
    }

    private record Pending(Object request, int bytes, CompletableFuture<Object> result) {
    }

    private final SqsClient plain;
    private final Map<Key, Deque<Pending>> pending = new ConcurrentHashMap<>();
    /** Queues with pending entries; a key is here at most once, or held by the sender working on it. */
    private final BlockingQueue<Key> ready = new LinkedBlockingQueue<>();
    private final List<Thread> senders = new ArrayList<>();
    private volatile boolean closed;

    private BatchingSqs(SqsClient plain, int senderThreads) {
        this.plain = plain;
        for (int i = 0; i < senderThreads; i++) {
            Thread t = new Thread(this::sendLoop, "sqs-batch-sender-" + (i + 1));
            t.setDaemon(true);
            t.start();
            senders.add(t);
        }
    }

    /**
     * @param plain         the client that sends the batches and every other operation
     * @param senderThreads how many batches may be on the wire at once (one per queue at a time)
     * @return a client that is also {@link Batches}
     */
    public static SqsClient wrap(SqsClient plain, int senderThreads) {
        return (SqsClient) Proxy.newProxyInstance(BatchingSqs.class.getClassLoader(),
                new Class<?>[] {SqsClient.class, Batches.class}, new BatchingSqs(plain, senderThreads));
    }

    /** Sends through the batches when the client batches, else at once. */
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
                return send((SendMessageRequest) args[0]);
            }
            close();
            return null;
        }
        Object request = args != null && args.length == 1 ? args[0] : null;
        if (request instanceof Consumer<?>) {
            // the builder overloads build the request and call the request overloads, handled below
            return InvocationHandler.invokeDefault(proxy, method, args);
        }
        if (request instanceof SendMessageRequest send && !closed) {
            try {
                return send(send).join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        if (request instanceof DeleteMessageRequest delete && !closed) {
            submit(new Key(delete.queueUrl(), true), new Pending(delete, 0, new CompletableFuture<>()))
                    .whenComplete((deleted, failure) -> {
                        if (failure != null) {
                            LOG.warn("Message not deleted from {} (it will be delivered again): {}",
                                    delete.queueUrl(), failure.toString());
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

    private CompletableFuture<SendMessageResponse> send(SendMessageRequest request) {
        int bytes = request.messageBody().getBytes(StandardCharsets.UTF_8).length;
        for (var attribute : request.messageAttributes().entrySet()) {
            bytes += attribute.getKey().length() + String.valueOf(attribute.getValue().stringValue()).length()
                    + (attribute.getValue().binaryValue() == null ? 0 : attribute.getValue().binaryValue().asByteArray().length);
        }
        return submit(new Key(request.queueUrl(), false), new Pending(request, bytes, new CompletableFuture<>()))
                .thenApply(SendMessageResponse.class::cast);
    }

    private CompletableFuture<Object> submit(Key key, Pending entry) {
        Deque<Pending> queue = pending.computeIfAbsent(key, k -> new ArrayDeque<>());
        boolean wasEmpty;
        synchronized (queue) {
            wasEmpty = queue.isEmpty();
            queue.add(entry);
        }
        if (wasEmpty) {
            ready.add(key);
        }
        return entry.result();
    }

    private void sendLoop() {
        while (true) {
            Key key;
            try {
                key = ready.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (key == null) {
                if (closed) {
                    return;
                }
                continue;
            }
            Deque<Pending> queue = pending.get(key);
            List<Pending> batch = new ArrayList<>(MAX_ENTRIES);
            synchronized (queue) {
                int bytes = 0;
                while (!queue.isEmpty() && batch.size() < MAX_ENTRIES
                        && (batch.isEmpty() || bytes + queue.peek().bytes() <= MAX_BATCH_BYTES)) {
                    Pending next = queue.poll();
                    bytes += next.bytes();
                    batch.add(next);
                }
                if (!queue.isEmpty()) {
                    ready.add(key);
                }
            }
            try {
                if (key.delete()) {
                    deleteBatch(key.queueUrl(), batch);
                } else {
                    sendBatch(key.queueUrl(), batch);
                }
            } catch (RuntimeException e) {
                batch.forEach(p -> p.result().completeExceptionally(e));
            }
        }
    }

    private void sendBatch(String queueUrl, List<Pending> batch) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            SendMessageRequest r = (SendMessageRequest) batch.get(i).request();
            entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(r.messageBody())
                    .delaySeconds(r.delaySeconds()).messageAttributes(r.messageAttributes())
                    .messageSystemAttributesWithStrings(r.messageSystemAttributesAsStrings())
                    .messageDeduplicationId(r.messageDeduplicationId()).messageGroupId(r.messageGroupId()).build());
        }
        SendMessageBatchResponse response = plain.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
        response.successful().forEach(ok -> batch.get(Integer.parseInt(ok.id())).result().complete(
                SendMessageResponse.builder().messageId(ok.messageId()).md5OfMessageBody(ok.md5OfMessageBody())
                        .md5OfMessageAttributes(ok.md5OfMessageAttributes())
                        .md5OfMessageSystemAttributes(ok.md5OfMessageSystemAttributes())
                        .sequenceNumber(ok.sequenceNumber()).build()));
        response.failed().forEach(failed -> batch.get(Integer.parseInt(failed.id())).result()
                .completeExceptionally(error(failed)));
    }

    private void deleteBatch(String queueUrl, List<Pending> batch) {
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                    .receiptHandle(((DeleteMessageRequest) batch.get(i).request()).receiptHandle()).build());
        }
        DeleteMessageBatchResponse response = plain.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
        response.successful().forEach(ok -> batch.get(Integer.parseInt(ok.id())).result().complete(null));
        response.failed().forEach(failed -> batch.get(Integer.parseInt(failed.id())).result()
                .completeExceptionally(error(failed)));
    }

    /** The exception the single call would have thrown for a failed entry. */
    private static SqsException error(BatchResultErrorEntry failed) {
        return (SqsException) SqsException.builder().message(failed.message())
                .statusCode(Boolean.TRUE.equals(failed.senderFault()) ? 400 : 500)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(failed.code()).errorMessage(failed.message())
                        .serviceName("Sqs").build())
                .build();
    }

    /** Lets the senders finish what is pending (up to 5 s), then stops them. */
    private void close() {
        closed = true;
        for (Thread t : senders) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
