package io.cqrsworkers.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.json.Jackson;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The sync_data step's call of its handler, for the recipient list: the handler gets a clean message, the command
 * and header {@value SyncData#MODULE_HEADER} and nothing else (so it cannot disturb the step's own headers, the task
 * token among them), and its reply body becomes the step's output.
 */
public final class SyncHandlerCall implements Processor, AggregationStrategy {

    /** The registry name of the bean. */
    public static final String BEAN = "syncHandlerCall";
    private static final ObjectMapper JSON = Jackson.MAPPER;

    /** onPrepare: the handler's copy carries the command and the module only. */
    @Override
    public void process(Exchange handlerCopy) {
        Message message = handlerCopy.getMessage();
        String module = handlerCopy.getProperty(CommandStepContext.PROPERTY, CommandStepContext.class).module();
        message.getHeaders().clear();
        message.setHeader(SyncData.MODULE_HEADER, module);
    }

    /**
     * The handler's reply becomes the step's output. A handler's exception fails the step as an exception of the
     * step's route (so its error handling, FAILED and the alarm, applies): the handler's own route has already
     * run its error handler on the copy, and the copy's state is not carried over.
     */
    @Override
    public Exchange aggregate(Exchange previous, Exchange reply, Exchange step) {
        if (reply.getException() != null) {
            step.setException(reply.getException());
        } else {
            step.getMessage().setBody(output(reply.getMessage().getBody()));
        }
        return step;
    }

    @Override
    public Exchange aggregate(Exchange previous, Exchange reply) {
        throw new UnsupportedOperationException("a sync handler's reply needs the step's exchange");
    }

    /** The handler's reply as the step's output: JSON as is, other text as a JSON string, objects as JSON. */
    private static JsonNode output(Object reply) {
        if (reply == null) {
            return JSON.nullNode();
        }
        if (reply instanceof JsonNode node) {
            return node;
        }
        if (reply instanceof String text) {
            try {
                return JSON.readTree(text);
            } catch (Exception notJson) {
                return JSON.getNodeFactory().textNode(text);
            }
        }
        return JSON.valueToTree(reply);
    }
}
