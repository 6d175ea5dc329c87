package io.cqrsworkers.localaws.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/**
 * AWS JSON 1.0 over HTTP: POST with {@code X-Amz-Target: <prefix>.<Operation>}, a JSON body, answered with JSON.
 * Signatures are not checked. An operation may answer later ({@link Operation#handleAsync}): the exchange then stays
 * open without holding a pool thread, so long polls do not starve other requests.
 */
public final class AwsJsonServer {

    private static final Logger LOG = LoggerFactory.getLogger(AwsJsonServer.class);

    static {
        // Without TCP_NODELAY, headers and body leave in two segments and Nagle's algorithm meets the client's
        // delayed ACK: every response waits ~40 ms. The JDK server reads this once, when its first instance starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** One API operation. */
    @FunctionalInterface
    public interface Operation {
        ObjectNode handle(JsonNode request);

        /** Overridden by operations that may wait (long polls); the default answers at once. */
        default CompletableFuture<ObjectNode> handleAsync(JsonNode request) {
            return CompletableFuture.completedFuture(handle(request));
        }
    }

    /** What differs between the services served this way. */
    public record Settings(
            /* the service host name shown by GET /, e.g. dynamodb.us-east-1.amazonaws.com */
            String healthName,
            /* prefix of the server's own error types, e.g. com.amazonaws.dynamodb.v20120810# */
            String errorNamespace,
            /* DynamoDB's SDK checks an x-amz-crc32 header on every response; others do not */
            boolean crc32,
            String threadName) {
    }

    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, Operation> operations;
    private final Settings settings;
    private HttpServer server;
    private ExecutorService executor;

    /** @param operations by full target, e.g. "DynamoDB_20120810.PutItem" */
    public AwsJsonServer(Map<String, Operation> operations, Settings settings) {
        this.operations = operations;
        this.settings = settings;
    }

    public InetSocketAddress start(String host, int port, int threads) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 256);
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, settings.threadName() + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        return server.getAddress();
    }

    public void stop() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server = null;
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        if ("GET".equals(ex.getRequestMethod())) {
            // AWS answers a plain GET on the endpoint with a health line; load balancers and scripts use it
            try (ex) {
                byte[] ok = ("healthy: " + settings.healthName() + " ").getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, ok.length);
                ex.getResponseBody().write(ok);
            }
            return;
        }
        String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
        CompletableFuture<ObjectNode> answer;
        try {
            answer = dispatch(target, body);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        if (answer.isDone()) {
            respond(ex, target, answer);
        } else {
            CompletableFuture<ObjectNode> pending = answer;
            pending.whenCompleteAsync((r, e) -> {
                try {
                    respond(ex, target, pending);
                } catch (IOException io) {
                    LOG.debug("Answering {} failed: {}", target, io.getMessage());
                }
            }, executor);
        }
    }

    private void respond(HttpExchange ex, String target, CompletableFuture<ObjectNode> answer) throws IOException {
        try (ex) {
            int status = 200;
            ObjectNode response;
            String queryError = null;
            try {
                response = answer.join();
            } catch (CompletionException wrapped) {
                Throwable cause = wrapped.getCause();
                if (cause instanceof AwsJsonException e) {
                    LOG.debug("{} -> {}: {}", target, e.fullType(), e.getMessage());
                    status = e.status();
                    queryError = e.queryError();
                    response = error(e);
                } else {
                    LOG.error("Internal error in {}", target, cause);
                    status = 500;
                    response = error(new AwsJsonException(settings.errorNamespace() + "InternalServerError",
                            "Internal server error", 500, null, null));
                }
            }
            byte[] out = mapper.writeValueAsBytes(response);
            var headers = ex.getResponseHeaders();
            headers.set("Content-Type", "application/x-amz-json-1.0");
            // request ids need no SecureRandom
            ThreadLocalRandom random = ThreadLocalRandom.current();
            headers.set("x-amzn-RequestId", new UUID(random.nextLong(), random.nextLong()).toString());
            if (settings.crc32()) {
                CRC32 crc = new CRC32();
                crc.update(out);
                headers.set("x-amz-crc32", Long.toString(crc.getValue()));
            }
            if (queryError != null) {
                headers.set("x-amzn-query-error", queryError);
            }
            ex.sendResponseHeaders(status, out.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        }
    }

    private CompletableFuture<ObjectNode> dispatch(String target, byte[] body) {
        Operation op = target == null ? null : operations.get(target);
        if (op == null) {
            throw new AwsJsonException("com.amazon.coral.service#UnknownOperationException",
                    "Unknown operation " + target, 400, null, null);
        }
        JsonNode request;
        try {
            request = body.length == 0 ? mapper.createObjectNode() : mapper.readTree(body);
        } catch (IOException e) {
            request = null;
        }
        if (request == null || !request.isObject()) {
            throw new AwsJsonException(settings.errorNamespace() + "SerializationException",
                    "Start of structure or map found where not expected", 400, null, null);
        }
        return op.handleAsync(request);
    }

    private ObjectNode error(AwsJsonException e) {
        ObjectNode o = mapper.createObjectNode();
        o.put("__type", e.fullType());
        o.put("message", e.getMessage());
        if (e.extra() != null) {
            o.setAll(e.extra());
        }
        return o;
    }
}
