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
            String threadName,
            /*
             * DynamoDB's front end (Coral): OPTIONS with an Origin answered as CORS, other methods than GET/POST and
             * bodies that are not JSON content answered 404 <UnknownOperationException/>, the body parsed before the
             * target is looked at, errors from the front without a message, request ids of 52 characters
             * [0-9A-Z], and the request's JSON content type echoed. Off for SQS.
             */
            boolean coralFront) {

        public Settings(String healthName, String errorNamespace, boolean crc32, String threadName) {
            this(healthName, errorNamespace, crc32, threadName, false);
        }
    }

    private static final char[] ID_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ".toCharArray();

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
        String method = ex.getRequestMethod();
        if (settings.coralFront() && "OPTIONS".equals(method)
                && ex.getRequestHeaders().getFirst("Origin") != null) {
            answerCors(ex);
            return;
        }
        if ("GET".equals(method)) {
            // AWS answers a plain GET on the endpoint with a health line; load balancers and scripts use it
            try (ex) {
                byte[] ok = ("healthy: " + settings.healthName() + " ").getBytes(StandardCharsets.UTF_8);
                if (settings.coralFront()) {
                    ex.getResponseHeaders().set("x-amzn-RequestId", requestId());
                    ex.getResponseHeaders().set("x-amz-crc32", crc32(ok));
                }
                ex.sendResponseHeaders(200, ok.length);
                ex.getResponseBody().write(ok);
            }
            return;
        }
        String contentType = null;
        if (settings.coralFront()) {
            String ct = ex.getRequestHeaders().getFirst("Content-Type");
            ct = ct == null ? "" : ct.split(";", 2)[0].trim();
            boolean json = ct.equals("application/json") || ct.equals("application/x-amz-json-1.0");
            if (!"POST".equals(method) || body.length > 0 && !json) {
                notFound(ex);
                return;
            }
            contentType = ct.equals("application/json") ? ct : "application/x-amz-json-1.0";
        }
        String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
        CompletableFuture<ObjectNode> answer;
        try {
            answer = settings.coralFront() ? dispatchCoral(target, body) : dispatch(target, body);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        String responseType = contentType;
        if (answer.isDone()) {
            respond(ex, target, answer, responseType);
        } else {
            CompletableFuture<ObjectNode> pending = answer;
            pending.whenCompleteAsync((r, e) -> {
                try {
                    respond(ex, target, pending, responseType);
                } catch (IOException io) {
                    LOG.debug("Answering {} failed: {}", target, io.getMessage());
                }
            }, executor);
        }
    }

    /** A preflight request with an Origin: DynamoDB allows any origin and echoes the asked headers and method. */
    private static void answerCors(HttpExchange ex) throws IOException {
        try (ex) {
            var in = ex.getRequestHeaders();
            var out = ex.getResponseHeaders();
            out.set("x-amzn-RequestId", requestId());
            out.set("Access-Control-Allow-Origin", "*");
            if (in.getFirst("Access-Control-Request-Headers") != null) {
                out.set("Access-Control-Allow-Headers", in.getFirst("Access-Control-Request-Headers"));
            }
            if (in.getFirst("Access-Control-Request-Method") != null) {
                out.set("Access-Control-Allow-Methods", in.getFirst("Access-Control-Request-Method"));
            }
            out.set("Access-Control-Max-Age", "172800");
            ex.sendResponseHeaders(200, -1);
        }
    }

    private static void notFound(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] out = "<UnknownOperationException/>\n".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("x-amzn-RequestId", requestId());
            ex.getResponseHeaders().set("x-amz-crc32", crc32(out));
            ex.sendResponseHeaders(404, out.length);
            ex.getResponseBody().write(out);
        }
    }

    /** DynamoDB's request ids: 52 characters of [0-9A-Z]. */
    static String requestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] id = new char[52];
        for (int i = 0; i < id.length; i++) {
            id[i] = ID_CHARS[random.nextInt(ID_CHARS.length)];
        }
        return new String(id);
    }

    private static String crc32(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return Long.toString(crc.getValue());
    }

    private void respond(HttpExchange ex, String target, CompletableFuture<ObjectNode> answer, String contentType)
            throws IOException {
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
            headers.set("Content-Type", contentType != null ? contentType : "application/x-amz-json-1.0");
            if (settings.coralFront()) {
                headers.set("x-amzn-RequestId", requestId());
            } else {
                // request ids need no SecureRandom
                ThreadLocalRandom random = ThreadLocalRandom.current();
                headers.set("x-amzn-RequestId", new UUID(random.nextLong(), random.nextLong()).toString());
            }
            if (settings.crc32()) {
                headers.set("x-amz-crc32", crc32(out));
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

    /**
     * DynamoDB's front: a body that is not JSON is a SerializationException, then the target is looked up (an
     * unknown one is an UnknownOperationException), then an empty body is a SerializationException; both without a
     * message.
     */
    private CompletableFuture<ObjectNode> dispatchCoral(String target, byte[] body) {
        JsonNode request = null;
        if (body.length > 0) {
            try {
                request = mapper.readTree(body);
            } catch (IOException e) {
                request = null;
            }
            if (request == null) {
                throw new AwsJsonException("com.amazon.coral.service#SerializationException", null, 400, null, null);
            }
        }
        Operation op = target == null ? null : operations.get(target);
        if (op == null) {
            throw new AwsJsonException("com.amazon.coral.service#UnknownOperationException", null, 400, null, null);
        }
        if (request == null) {
            throw new AwsJsonException("com.amazon.coral.service#SerializationException", null, 400, null, null);
        }
        if (!request.isObject()) {
            throw new AwsJsonException("com.amazon.coral.service#SerializationException",
                    request.isArray() ? "Unrecognized collection type class " + "java.lang.Object"
                            : "Unexpected field type", 400, null, null) {
                @Override
                public String messageField() {
                    return "Message";
                }
            };
        }
        return op.handleAsync(request);
    }

    private ObjectNode error(AwsJsonException e) {
        ObjectNode o = mapper.createObjectNode();
        o.put("__type", e.fullType());
        if (e.getMessage() != null) {
            o.put(e.messageField(), e.getMessage());
        }
        if (e.extra() != null) {
            o.setAll(e.extra());
        }
        return o;
    }
}
