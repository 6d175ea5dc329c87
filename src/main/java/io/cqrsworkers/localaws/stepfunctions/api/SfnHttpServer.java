package io.cqrsworkers.localaws.stepfunctions.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cqrsworkers.localaws.stepfunctions.core.Json;
import io.cqrsworkers.localaws.stepfunctions.core.SfnException;
import io.cqrsworkers.localaws.stepfunctions.runtime.Engine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The AWS JSON 1.0 endpoint: {@code POST /} with {@code X-Amz-Target: AWSStepFunctions.<Action>}. Long polls and
 * synchronous executions answer from another thread, so they hold no server thread while they wait.
 */
public final class SfnHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SfnHttpServer.class);
    private static final String TARGET_PREFIX = "AWSStepFunctions.";
    private static final String CONTENT_TYPE = "application/x-amz-json-1.0";

    private final Map<String, Action> actions = new HashMap<>();
    private final HttpServer server;
    private final ExecutorService pool;

    public SfnHttpServer(Engine engine, String host, int port, int threads) throws IOException {
        for (Action a : new Action[]{
                new CreateStateMachine(engine), new UpdateStateMachine(engine), new DeleteStateMachine(engine),
                new DescribeStateMachine(engine), new DescribeStateMachineForExecution(engine), new ListStateMachines(engine),
                new ValidateStateMachineDefinition(engine), new StartExecution(engine), new StartSyncExecution(engine),
                new StopExecution(engine), new DescribeExecution(engine), new ListExecutions(engine),
                new GetExecutionHistory(engine), new SendTaskSuccess(engine), new SendTaskFailure(engine),
                new SendTaskHeartbeat(engine), new CreateActivity(engine), new DescribeActivity(engine),
                new DeleteActivity(engine), new ListActivities(engine), new GetActivityTask(engine),
                new DescribeMapRun(engine), new ListMapRuns(engine), new TestState(engine)}) {
            actions.put(a.getClass().getSimpleName(), a);
        }
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "sfn-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.server = HttpServer.create(new InetSocketAddress(host, port), 512);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
    }

    public void start() {
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String requestId = UUID.randomUUID().toString();
        CompletableFuture<JsonNode> result;
        try {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            Action action = target != null && target.startsWith(TARGET_PREFIX) ? actions.get(target.substring(TARGET_PREFIX.length())) : null;
            if (action == null) {
                throw new SfnException("UnknownOperationException", "Unknown operation " + target);
            }
            JsonNode request;
            try (InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readAllBytes();
                request = body.length == 0 ? Json.object() : Json.MAPPER.readTree(body);
            }
            if (request == null || !request.isObject()) {
                throw new SfnException("SerializationException", "Start of structure or map found where not expected");
            }
            result = action.handleAsync(request);
        } catch (RuntimeException | IOException e) {
            result = CompletableFuture.failedFuture(e);
        }
        result.whenComplete((body, error) -> respond(exchange, requestId, body, error));
    }

    private void respond(HttpExchange exchange, String requestId, JsonNode body, Throwable error) {
        int status = 200;
        if (error instanceof CompletionException && error.getCause() != null) {
            error = error.getCause();
        }
        if (error != null) {
            ObjectNode e = Json.object();
            if (error instanceof SfnException s) {
                status = 400;
                e.put("__type", s.type()).put("message", s.getMessage());
            } else if (error instanceof com.fasterxml.jackson.core.JsonProcessingException) {
                status = 400;
                e.put("__type", "SerializationException").put("message", error.getMessage());
            } else {
                LOG.error("request failed", error);
                status = 500;
                e.put("__type", "InternalFailure").put("message", String.valueOf(error.getMessage()));
            }
            body = e;
        }
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        try {
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            LOG.debug("client went away before the response", e);
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
        try {
            pool.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
