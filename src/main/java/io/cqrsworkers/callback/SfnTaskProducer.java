package io.cqrsworkers.callback;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.json.Jackson;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/**
 * Sends the callback. Success: the body is the task's output (a JSON text, or any object, written as JSON).
 * Failure: error and cause from headers, else from the exception being handled.
 */
final class SfnTaskProducer extends DefaultProducer {

    private static final ObjectMapper JSON = Jackson.MAPPER;

    private final SfnTaskEndpoint endpoint;
    private final TaskCallbacks callbacks;

    SfnTaskProducer(SfnTaskEndpoint endpoint, TaskCallbacks callbacks) {
        super(endpoint);
        this.endpoint = endpoint;
        this.callbacks = callbacks;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        String token = exchange.getMessage().getHeader(endpoint.getTokenHeader(), String.class);
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("sfn-task:" + endpoint.getAction().name().toLowerCase()
                    + " needs the task token in header " + endpoint.getTokenHeader());
        }
        boolean delivered = switch (endpoint.getAction()) {
            case SUCCESS -> callbacks.success(token, outputJson(exchange));
            case FAILURE -> failure(exchange, token);
            case HEARTBEAT -> callbacks.heartbeat(token);
        };
        exchange.getMessage().setHeader(SfnTaskHeaders.DELIVERED, delivered);
        if (!delivered && endpoint.isFailOnClosedToken()) {
            throw new IllegalStateException("Task token is closed (timed out or already answered)");
        }
    }

    private boolean failure(Exchange exchange, String token) {
        Throwable exception = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String error = exchange.getMessage().getHeader(SfnTaskHeaders.ERROR, String.class);
        String cause = exchange.getMessage().getHeader(SfnTaskHeaders.CAUSE, String.class);
        if (error == null) {
            error = exception != null ? exception.getClass().getSimpleName() : "Error";
        }
        if (cause == null && exception != null) {
            cause = exception.getMessage();
        }
        return callbacks.failure(token, error, cause);
    }

    private static String outputJson(Exchange exchange) throws JsonProcessingException {
        Object body = exchange.getMessage().getBody();
        if (body == null) {
            return "{}";
        }
        if (body instanceof byte[] bytes) {
            body = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
        if (body instanceof String text) {
            // fail here, with the text, rather than as an opaque InvalidOutput from Step Functions
            try {
                JSON.readTree(text);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("sfn-task:success needs a JSON body; got: "
                        + TaskCallbacks.truncate(text, 200), e);
            }
            return text;
        }
        return JSON.writeValueAsString(body);
    }
}
