package io.cqrsworkers.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.cqrsworkers.json.Jackson;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;

import java.nio.charset.StandardCharsets;

/**
 * Task handlers are Camel endpoints chosen by task type: {@code app.task.handlers.<taskType>} when set (any
 * endpoint URI), else the route {@code direct:task-<taskType>}. The handler receives the task's (or sub-task's)
 * input as a JSON text and headers {@value #PK}, {@value #SK}, {@value #TYPE}, {@value #TENANT}; its reply body is
 * the result (JSON text, or any object), an exception is the failure.
 */
public final class TaskHandlers {

    public static final String BEAN = "taskHandlers";
    public static final String PK = "TaskPk";
    public static final String SK = "TaskSk";
    public static final String TYPE = "TaskType";
    public static final String TENANT = "TaskTenantCode";
    private static final ObjectMapper JSON = Jackson.MAPPER;

    private final CamelContext context;
    private final ProducerTemplate template;

    public TaskHandlers(CamelContext context) {
        this.context = context;
        this.template = context.createProducerTemplate();
    }

    public String endpointUri(String taskType) {
        String configured = context.getPropertiesComponent().resolveProperty("app.task.handlers." + taskType)
                .orElse(null);
        return configured != null && !configured.isBlank() ? configured.trim() : "direct:task-" + taskType;
    }

    /** Runs the handler of the task's type on the task's input; returns its result. */
    public JsonNode run(JsonNode task) throws Exception {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(task.path("input").toString());
        exchange.getMessage().setHeader(PK, task.path("pk").asText());
        exchange.getMessage().setHeader(SK, task.path("sk").asText());
        exchange.getMessage().setHeader(TYPE, task.path("type").asText());
        exchange.getMessage().setHeader(TENANT, task.path("tenantCode").asText());
        Exchange done = template.send(endpointUri(task.path("type").asText()), exchange);
        if (done.getException() != null) {
            throw done.getException();
        }
        return result(done.getMessage().getBody());
    }

    private static JsonNode result(Object body) {
        if (body == null) {
            return NullNode.getInstance();
        }
        if (body instanceof byte[] bytes) {
            body = new String(bytes, StandardCharsets.UTF_8);
        }
        if (body instanceof String text) {
            try {
                return JSON.readTree(text);
            } catch (Exception notJson) {
                return TextNode.valueOf(text);
            }
        }
        return JSON.valueToTree(body);
    }
}
