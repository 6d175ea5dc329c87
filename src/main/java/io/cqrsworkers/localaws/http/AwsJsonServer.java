package io.cqrsworkers.localaws.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.embedded.InProcessEndpoints;
import io.cqrsworkers.localaws.json.JsonTrees;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.zip.CRC32;

/**
 * AWS JSON 1.0 over HTTP: POST with {@code X-Amz-Target: <prefix>.<Operation>}, a JSON body, answered with JSON.
 * Signatures are not checked. Served by {@link Http1Server} (a thread per connection); an operation may answer later
 * ({@link Operation#handleAsync}, a long poll): only its own connection waits, so long polls do not starve other
 * requests.
 */
public final class AwsJsonServer {

    private static final Logger LOG = LoggerFactory.getLogger(AwsJsonServer.class);

    static {
        // Not for this server (Http1Server sets TCP_NODELAY on its sockets and writes an answer in one piece), but
        // for the JDK HTTP servers of this JVM (Step Functions): without TCP_NODELAY, headers and body leave in two
        // segments and Nagle's algorithm meets the client's delayed ACK, ~40 ms a response. The JDK server reads
        // this once, when its first instance starts.
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

    private static final byte[] EMPTY = new byte[0];

    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, Operation> operations;
    private final Settings settings;
    private Http1Server server;

    /** @param operations by full target, e.g. "DynamoDB_20120810.PutItem" */
    public AwsJsonServer(Map<String, Operation> operations, Settings settings) {
        this.operations = operations;
        this.settings = settings;
    }

    /**
     * Binds and serves; {@code threads} connection threads are kept ready (a connection has its own thread while it
     * is open, so a waiting long poll holds nothing another client needs).
     */
    public InetSocketAddress start(String host, int port, int threads) throws IOException {
        Http1Server starting = new Http1Server(this::handle, settings.threadName());
        InetSocketAddress address = starting.start(host, port, threads);
        server = starting;
        return address;
    }

    public void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    /**
     * Answers a request without a socket, for a client in this JVM ({@link InProcessEndpoints}): the same answer, as
     * bytes, that {@link #start} writes on the wire.
     */
    public CompletableFuture<InProcessEndpoints.Answer> call(String method, Function<String, String> header,
                                                            byte[] body) {
        return answer(method, header, body)
                .thenApply(r -> new InProcessEndpoints.Answer(r.status, List.copyOf(r.headers), r.body));
    }

    private Http1Server.Response handle(Http1Server.Request ex) throws InterruptedException {
        try {
            return answer(ex.method, ex::header, ex.body).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The answer to a request; completes later when an operation waits (a long poll), else at once. */
    private CompletableFuture<Http1Server.Response> answer(String method, Function<String, String> header,
                                                           byte[] body) {
        if (settings.coralFront() && "OPTIONS".equals(method) && header.apply("Origin") != null) {
            return CompletableFuture.completedFuture(answerCors(header));
        }
        if ("GET".equals(method) || "HEAD".equals(method)) {
            // AWS answers a plain GET on the endpoint with a health line; load balancers and scripts use it
            byte[] ok = ("healthy: " + settings.healthName() + " ").getBytes(StandardCharsets.UTF_8);
            Http1Server.Response r = new Http1Server.Response(200, ok);
            if (settings.coralFront()) {
                r.header("x-amzn-RequestId", requestId());
                r.header("x-amz-crc32", crc32(ok));
            }
            return CompletableFuture.completedFuture(r);
        }
        String contentType = null;
        if (settings.coralFront()) {
            String ct = header.apply("Content-Type");
            ct = ct == null ? "" : ct.split(";", 2)[0].trim();
            boolean json = ct.equals("application/json") || ct.equals("application/x-amz-json-1.0");
            if (!"POST".equals(method) || body.length > 0 && !json) {
                return CompletableFuture.completedFuture(notFound());
            }
            contentType = ct.equals("application/json") ? ct : "application/x-amz-json-1.0";
        }
        String target = header.apply("X-Amz-Target");
        CompletableFuture<ObjectNode> answer;
        try {
            answer = settings.coralFront() ? dispatchCoral(target, body) : dispatch(target, body);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        String type = contentType;
        // an answer still pending (a long poll) is written when it completes
        return answer.handle((done, failed) -> respond(target, done, failed, type));
    }

    /** A preflight request with an Origin: DynamoDB allows any origin and echoes the asked headers and method. */
    private static Http1Server.Response answerCors(Function<String, String> in) {
        Http1Server.Response out = new Http1Server.Response(200, EMPTY);
        out.header("x-amzn-RequestId", requestId());
        out.header("Access-Control-Allow-Origin", "*");
        if (in.apply("Access-Control-Request-Headers") != null) {
            out.header("Access-Control-Allow-Headers", in.apply("Access-Control-Request-Headers"));
        }
        if (in.apply("Access-Control-Request-Method") != null) {
            out.header("Access-Control-Allow-Methods", in.apply("Access-Control-Request-Method"));
        }
        out.header("Access-Control-Max-Age", "172800");
        return out;
    }

    private static Http1Server.Response notFound() {
        byte[] out = "<UnknownOperationException/>\n".getBytes(StandardCharsets.UTF_8);
        return new Http1Server.Response(404, out).header("x-amzn-RequestId", requestId())
                .header("x-amz-crc32", crc32(out));
    }

    /** DynamoDB's request ids: 52 characters of [0-9A-Z]. */
    static String requestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        byte[] id = new byte[52];
        long bits = 0;
        for (int i = 0; i < id.length; i++) {
            if (i % 10 == 0) {
                bits = random.nextLong() >>> 1;
            }
            id[i] = (byte) ID_CHARS[(int) (bits % ID_CHARS.length)];
            bits /= ID_CHARS.length;
        }
        return new String(id, StandardCharsets.ISO_8859_1);
    }

    private static String crc32(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return Long.toString(crc.getValue());
    }

    private Http1Server.Response respond(String target, ObjectNode answer, Throwable failed, String contentType) {
        int status = 200;
        ObjectNode response = answer;
        String queryError = null;
        if (failed != null) {
            Throwable cause = failed instanceof CompletionException && failed.getCause() != null
                    ? failed.getCause() : failed;
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
        byte[] out;
        try {
            out = JsonTrees.write(response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Http1Server.Response r = new Http1Server.Response(status, out);
        r.header("Content-Type", contentType != null ? contentType : "application/x-amz-json-1.0");
        if (settings.coralFront()) {
            r.header("x-amzn-RequestId", requestId());
        } else {
            // request ids need no SecureRandom
            ThreadLocalRandom random = ThreadLocalRandom.current();
            r.header("x-amzn-RequestId", new UUID(random.nextLong(), random.nextLong()).toString());
        }
        if (settings.crc32()) {
            r.header("x-amz-crc32", crc32(out));
        }
        if (queryError != null) {
            r.header("x-amzn-query-error", queryError);
        }
        return r;
    }

    private CompletableFuture<ObjectNode> dispatch(String target, byte[] body) {
        Operation op = target == null ? null : operations.get(target);
        if (op == null) {
            throw new AwsJsonException("com.amazon.coral.service#UnknownOperationException",
                    "Unknown operation " + target, 400, null, null);
        }
        JsonNode request;
        try {
            request = body.length == 0 ? mapper.createObjectNode() : JsonTrees.read(body);
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
                request = JsonTrees.read(body);
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
