package io.cqrsworkers.localaws.dynamodb.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cqrsworkers.localaws.dynamodb.DynamoDbException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/**
 * AWS JSON 1.0 over HTTP: POST with {@code X-Amz-Target: <prefix>.<Operation>}, a JSON body, answered with JSON and
 * an {@code x-amz-crc32} header (the SDK checks it on DynamoDB responses). Signatures are not checked.
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
    }

    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, Operation> operations;
    private HttpServer server;
    private ExecutorService executor;

    private final String healthName;

    /**
     * @param operations by full target, e.g. "DynamoDB_20120810.PutItem"
     * @param healthName the service host name shown by GET /, e.g. dynamodb.us-east-1.amazonaws.com
     */
    public AwsJsonServer(Map<String, Operation> operations, String healthName) {
        this.operations = operations;
        this.healthName = healthName;
    }

    public InetSocketAddress start(String host, int port, int threads) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 256);
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "dynamodb-http-" + n.incrementAndGet());
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
        try (ex) {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            if ("GET".equals(ex.getRequestMethod())) {
                // AWS answers a plain GET on the endpoint with a health line; load balancers and scripts use it
                byte[] ok = ("healthy: " + healthName + " ").getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, ok.length);
                ex.getResponseBody().write(ok);
                return;
            }
            String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
            int status = 200;
            ObjectNode response;
            try {
                response = dispatch(target, body);
            } catch (DynamoDbException e) {
                LOG.debug("{} -> {}: {}", target, e.type(), e.getMessage());
                status = e.status();
                response = error(e);
            } catch (RuntimeException e) {
                LOG.error("Internal error in {}", target, e);
                status = 500;
                response = error(new DynamoDbException("InternalServerError", "Internal server error", 500, null));
            }
            byte[] out = mapper.writeValueAsBytes(response);
            CRC32 crc = new CRC32();
            crc.update(out);
            ex.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
            ex.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
            ex.getResponseHeaders().set("x-amz-crc32", Long.toString(crc.getValue()));
            ex.sendResponseHeaders(status, out.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        }
    }

    private ObjectNode dispatch(String target, byte[] body) {
        Operation op = target == null ? null : operations.get(target);
        if (op == null) {
            throw new DynamoDbException("com.amazon.coral.service#UnknownOperationException",
                    "Unknown operation " + target);
        }
        JsonNode request;
        try {
            request = body.length == 0 ? mapper.createObjectNode() : mapper.readTree(body);
        } catch (IOException e) {
            throw new DynamoDbException("SerializationException", "Start of structure or map found where not expected");
        }
        if (!request.isObject()) {
            throw new DynamoDbException("SerializationException", "Start of structure or map found where not expected");
        }
        return op.handle(request);
    }

    private ObjectNode error(DynamoDbException e) {
        ObjectNode o = mapper.createObjectNode();
        o.put("__type", e.fullType());
        o.put("message", e.getMessage());
        if (e.extra() != null) {
            o.setAll(e.extra());
        }
        return o;
    }
}
