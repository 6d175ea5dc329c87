package io.cqrsworkers.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.api.JsonResponses;
import io.cqrsworkers.json.Jackson;
import io.cqrsworkers.workflow.WorkflowException;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

/**
 * Request and response mapping of the task, workflow and approval APIs (bean {@value #BEAN}): the JSON body in, the
 * required parameters, the answer with its status, and refused requests as {"error","message"}.
 */
public final class TaskApi {

    public static final String BEAN = "taskApi";

    /** The request's JSON body; 400 when there is none. */
    public JsonNode json(String body) throws JsonProcessingException {
        if (body == null || body.isBlank()) {
            throw new TaskException(400, "The request needs a JSON body");
        }
        return Jackson.MAPPER.readTree(body);
    }

    /** The request's JSON body, {} when there is none. */
    public JsonNode jsonOrEmpty(String body) throws JsonProcessingException {
        return body == null || body.isBlank() ? Jackson.MAPPER.createObjectNode() : json(body);
    }

    /** The task named by the query parameters pk and sk. */
    public TaskKeys taskKey(@Header("pk") String pk, @Header("sk") String sk) {
        return new TaskKeys(required("pk", pk), required("sk", sk));
    }

    /** The request id of the caller (header X-Request-Id), else the exchange's. */
    public String requestId(@Header("X-Request-Id") String requestId, Exchange exchange) {
        return requestId == null || requestId.isBlank() ? exchange.getExchangeId() : requestId;
    }

    /** 400 when the path or header names no state machine. */
    public void requireMachine(String machine) {
        if (machine == null || machine.isBlank()) {
            throw new TaskException(400, "No state machine named");
        }
    }

    public void ok(Exchange exchange) {
        JsonResponses.reply(exchange, 200, exchange.getMessage().getBody(JsonNode.class));
    }

    public void created(Exchange exchange) {
        JsonResponses.reply(exchange, 201, exchange.getMessage().getBody(JsonNode.class));
    }

    /** A refused request: its status and reason; a body that is not JSON, 400 with a hint. */
    public void refused(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        // a step that sets a header from a bean wraps the bean's exception
        while (failure.getCause() != null && !(failure instanceof TaskException || failure instanceof WorkflowException
                || failure instanceof JsonProcessingException)) {
            failure = failure.getCause();
        }
        if (failure instanceof TaskException task) {
            JsonResponses.error(exchange, task.status(), task.getMessage());
        } else if (failure instanceof WorkflowException workflow) {
            JsonResponses.error(exchange, workflow.status(), workflow.getMessage());
        } else {
            exchange.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
            JsonResponses.invalidJson(exchange);
        }
    }

    private static String required(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new TaskException(400, "Query parameter '" + name + "' is required");
        }
        return value;
    }
}
