package io.cqrsworkers.notification;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.json.Jackson;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.aws.BatchingSqs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

import java.util.function.Supplier;

/**
 * Status notifications ({@code command-status}, {@code task-status}, ...) to the notification queue, and failure
 * alarms ({@code sfn-alarm}) to the alarm queue, in the original's message shapes.
 * <p>
 * Notifications are sent without waiting (they share batch requests, see {@link BatchingSqs}): the status itself is
 * already stored, and a step should not wait for its observers. A notification that cannot be sent is logged at
 * ERROR with its content. Alarms are sent synchronously: a failure to raise one fails the caller.
 */
public final class Notifier {

    /** The registry name of the bean. */
    public static final String BEAN = "notifier";

    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
    private static final ObjectMapper JSON = Jackson.MAPPER;

    private final SqsClient sqs;
    private final Supplier<String> notificationQueueUrl;
    private final Supplier<String> alarmQueueUrl;

    public Notifier(SqsClient sqs, Supplier<String> notificationQueueUrl, Supplier<String> alarmQueueUrl) {
        this.sqs = sqs;
        this.notificationQueueUrl = notificationQueueUrl;
        this.alarmQueueUrl = alarmQueueUrl;
    }

    /** {"id","table","pk","sk","tenantCode","action","content"} */
    public void notify(String action, String table, String pk, String sk, ObjectNode content) {
        ObjectNode message = JSON.createObjectNode()
                .put("id", table + "#" + pk + "#" + sk)
                .put("table", table)
                .put("pk", pk)
                .put("sk", sk)
                .put("tenantCode", tenant(pk))
                .put("action", action);
        message.set("content", content);
        String body = message.toString();
        BatchingSqs.sendAsync(sqs, SendMessageRequest.builder().queueUrl(notificationQueueUrl.get())
                .messageBody(body).build()).whenComplete((sent, failure) -> {
                    if (failure != null) {
                        LOG.error("Notification not sent ({}): {}", failure.toString(), body);
                    }
                });
    }

    public void alarm(String table, String pk, String sk, String errorMessage, String executionArn) {
        ObjectNode message = JSON.createObjectNode()
                .put("action", "sfn-alarm")
                .put("id", pk + "#" + sk)
                .put("table", table)
                .put("pk", pk)
                .put("sk", sk)
                .put("tenantCode", tenant(pk));
        message.putObject("content").put("errorMessage", errorMessage).put("sfnId", executionArn);
        sqs.sendMessage(b -> b.queueUrl(alarmQueueUrl.get()).messageBody(message.toString()));
    }

    /** The original takes the text after the first {@code #} of pk. */
    private static String tenant(String pk) {
        int hash = pk.indexOf('#');
        return hash < 0 ? pk : pk.substring(hash + 1);
    }
}
