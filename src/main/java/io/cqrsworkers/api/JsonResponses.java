package io.cqrsworkers.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.json.Jackson;
import org.apache.camel.Exchange;

/** The JSON answers of the REST APIs: a body with its status, and errors as {"error","message"}. */
public final class JsonResponses {

    private static final ObjectMapper JSON = Jackson.MAPPER;

    private JsonResponses() {
    }

    /** Replaces the message with the answer (request headers are not echoed back). */
    public static void reply(Exchange e, int status, JsonNode body) {
        e.getMessage().getHeaders().clear();
        e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        e.getMessage().setBody(body.toString());
    }

    /**
     * 400 for a body that does not parse as JSON. A form-encoded request (curl's default for {@code -d}) gets the hint
     * it needs: platform-http turns such a body into parameters, so the route sees no JSON at all.
     */
    public static void invalidJson(Exchange e) {
        Throwable failure = e.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String detail = failure instanceof JsonProcessingException json ? json.getOriginalMessage() : String.valueOf(failure);
        String contentType = e.getMessage().getHeader(Exchange.CONTENT_TYPE, "", String.class);
        error(e, 400, contentType.startsWith("application/json") ? "The body is not valid JSON: " + detail
                : "The body must be JSON, sent with Content-Type: application/json (got '" + contentType + "')");
    }

    /** 400 BadRequest, 401 Unauthorized, 403 Forbidden, 404 NotFound, 409 Conflict, 503 ServiceUnavailable. */
    public static void error(Exchange e, int status, String message) {
        reply(e, status, errorBody(status, message));
    }

    /** The error answer {"error","message"}, for handlers outside Camel routes too. */
    public static ObjectNode errorBody(int status, String message) {
        String error = switch (status) {
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "NotFound";
            case 409 -> "Conflict";
            case 503 -> "ServiceUnavailable";
            default -> status >= 500 ? "InternalError" : "BadRequest";
        };
        return JSON.createObjectNode().put("error", error).put("message", message);
    }
}
