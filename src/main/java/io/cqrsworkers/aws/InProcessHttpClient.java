package io.cqrsworkers.aws;

import io.cqrsworkers.embedded.InProcessEndpoints;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The SDK's HTTP client SPI (sync and async) for an embedded service of this JVM ({@link InProcessEndpoints}): the
 * request the SDK marshalled is handed to the service as bytes and its answer comes back as bytes, on the caller's
 * thread unless the service makes it wait (a long poll). Marshalling, retries, error parsing and the DynamoDB CRC32
 * check stay the SDK's; only the socket and the HTTP framing are left out.
 */
public final class InProcessHttpClient implements SdkHttpClient, SdkAsyncHttpClient {

    private final InProcessEndpoints.Handler handler;

    public InProcessHttpClient(InProcessEndpoints.Handler handler) {
        this.handler = handler;
    }

    /** A client for the embedded service at {@code endpoint}, or null when no service of this JVM answers there. */
    public static InProcessHttpClient forEndpoint(URI endpoint) {
        InProcessEndpoints.Handler handler = InProcessEndpoints.find(endpoint);
        return handler == null ? null : new InProcessHttpClient(handler);
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            private volatile CompletableFuture<InProcessEndpoints.Answer> pending;

            @Override
            public HttpExecuteResponse call() throws IOException {
                byte[] body;
                ContentStreamProvider content = request.contentStreamProvider().orElse(null);
                if (content == null) {
                    body = new byte[0];
                } else {
                    try (InputStream in = content.newStream()) {
                        body = in.readAllBytes();
                    }
                }
                SdkHttpRequest http = request.httpRequest();
                pending = send(http, body);
                InProcessEndpoints.Answer answer;
                try {
                    answer = pending.get();
                } catch (InterruptedException e) {
                    pending.cancel(true);
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for " + http.host());
                } catch (ExecutionException | CancellationException e) {
                    throw failure(e);
                }
                return HttpExecuteResponse.builder()
                        .response(response(answer))
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(answer.body())))
                        .build();
            }

            @Override
            public void abort() {
                CompletableFuture<InProcessEndpoints.Answer> p = pending;
                if (p != null) {
                    p.cancel(true);
                }
            }
        };
    }

    @Override
    public CompletableFuture<Void> execute(AsyncExecuteRequest request) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        collect(request.requestContentPublisher())
                .thenCompose(body -> send(request.request(), body))
                .whenComplete((answer, failed) -> {
                    if (failed != null) {
                        Throwable cause = failed instanceof CompletionException && failed.getCause() != null
                                ? failed.getCause() : failed;
                        request.responseHandler().onError(cause);
                        done.completeExceptionally(cause);
                        return;
                    }
                    try {
                        request.responseHandler().onHeaders(response(answer));
                        request.responseHandler().onStream(new OneBuffer(answer.body(), done));
                    } catch (RuntimeException e) {
                        done.completeExceptionally(e);
                    }
                });
        return done;
    }

    private CompletableFuture<InProcessEndpoints.Answer> send(SdkHttpRequest http, byte[] body) {
        try {
            return handler.call(http.method().name(), name -> http.firstMatchingHeader(name).orElse(null), body);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static SdkHttpResponse response(InProcessEndpoints.Answer answer) {
        SdkHttpResponse.Builder response = SdkHttpResponse.builder().statusCode(answer.status());
        List<String> headers = answer.headers();
        for (int i = 0; i + 1 < headers.size(); i += 2) {
            response.appendHeader(headers.get(i), headers.get(i + 1));
        }
        return response.appendHeader("Content-Length", Integer.toString(answer.body().length)).build();
    }

    /** A failed call as the SDK expects it from a transport: an IOException, which its retry policy treats alike. */
    private static IOException failure(Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
    }

    /** The request body, however the SDK publishes it (one buffer for a JSON request). */
    private static CompletableFuture<byte[]> collect(Publisher<ByteBuffer> content) {
        CompletableFuture<byte[]> body = new CompletableFuture<>();
        content.subscribe(new Subscriber<>() {
            private final ByteArrayOutputStream out = new ByteArrayOutputStream();

            @Override
            public void onSubscribe(Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer buffer) {
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                out.writeBytes(bytes);
            }

            @Override
            public void onError(Throwable t) {
                body.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                body.complete(out.toByteArray());
            }
        });
        return body;
    }

    /** The response body as a publisher of one buffer; the call is done once it has been delivered. */
    private static final class OneBuffer implements Publisher<ByteBuffer> {
        private final byte[] body;
        private final CompletableFuture<Void> done;

        OneBuffer(byte[] body, CompletableFuture<Void> done) {
            this.body = body;
            this.done = done;
        }

        @Override
        public void subscribe(Subscriber<? super ByteBuffer> subscriber) {
            AtomicBoolean delivered = new AtomicBoolean();
            subscriber.onSubscribe(new Subscription() {
                @Override
                public void request(long n) {
                    if (n <= 0) {
                        subscriber.onError(new IllegalArgumentException("request(" + n + "): must be positive"));
                        done.complete(null);
                    } else if (delivered.compareAndSet(false, true)) {
                        if (body.length > 0) {
                            subscriber.onNext(ByteBuffer.wrap(body));
                        }
                        subscriber.onComplete();
                        done.complete(null);
                    }
                }

                @Override
                public void cancel() {
                    delivered.set(true);
                    done.complete(null);
                }
            });
        }
    }

    @Override
    public String clientName() {
        return "InProcess";
    }

    @Override
    public void close() {
        // nothing held: the service belongs to the embedded AWS
    }
}
