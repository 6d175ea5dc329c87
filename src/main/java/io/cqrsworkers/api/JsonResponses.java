package io.cqrsworkers.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;

/** The JSON answers of the REST APIs: a body with its status, and errors as {"error","message"}. */
public final class JsonResponses {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonResponses() {
    }

    /** Replaces the message with the answer (request headers are not echoed back). */
    public static void reply(Exchange e, int status, JsonNode body) {
        e.getMessage().getHeaders().clear();
        e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        e.getMessage().setBody(body.toString());
    }

    /** 400 BadRequest, 404 NotFound, 409 Conflict. */
    public static void error(Exchange e, int status, String message) {
        reply(e, status, JSON.createObjectNode().put("error", status == 409 ? "Conflict"
                : status == 404 ? "NotFound" : "BadRequest").put("message", message));
    }
}
