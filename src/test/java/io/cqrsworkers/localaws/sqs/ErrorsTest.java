package io.cqrsworkers.localaws.sqs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.services.sqs.model.InvalidAttributeNameException;
import software.amazon.awssdk.services.sqs.model.InvalidMessageContentsException;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageNotInflightException;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.ReceiptHandleIsInvalidException;
import software.amazon.awssdk.services.sqs.model.SqsException;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each error with the SDK exception class (from __type), code (from x-amzn-query-error), status and message. */
class ErrorsTest extends SqsTestSupport {

    private static void expect(Executable call, Class<? extends SqsException> type, String code, String message) {
        assertThatThrownBy(call::execute).isInstanceOfSatisfying(type, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
        });
    }

    @Test
    void queueDoesNotExist() {
        String missing = emulator.endpoint() + "/000000000000/no-such-queue";
        String text = "The specified queue does not exist.";
        expect(() -> sqs.getQueueUrl(r -> r.queueName("no-such-queue")), QueueDoesNotExistException.class,
                "AWS.SimpleQueueService.NonExistentQueue", text);
        expect(() -> sqs.sendMessage(r -> r.queueUrl(missing).messageBody("x")), QueueDoesNotExistException.class,
                "AWS.SimpleQueueService.NonExistentQueue", text);
        expect(() -> sqs.receiveMessage(r -> r.queueUrl(missing)), QueueDoesNotExistException.class,
                "AWS.SimpleQueueService.NonExistentQueue", text);
        String otherAccount = emulator.endpoint() + "/111111111111/" + name("x");
        expect(() -> sqs.purgeQueue(r -> r.queueUrl(otherAccount)), QueueDoesNotExistException.class,
                "AWS.SimpleQueueService.NonExistentQueue", text);
    }

    @Test
    void receiptHandles() {
        String url = createQueue("handles");
        expect(() -> sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle("not-a-handle!")),
                ReceiptHandleIsInvalidException.class, "ReceiptHandleIsInvalid",
                "The input receipt handle \"not-a-handle!\" is not a valid receipt handle.");

        sqs.sendMessage(r -> r.queueUrl(url).messageBody("x"));
        Message m = sqs.receiveMessage(r -> r.queueUrl(url)).messages().get(0);
        sqs.changeMessageVisibility(r -> r.queueUrl(url).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
        expect(() -> sqs.changeMessageVisibility(r -> r.queueUrl(url).receiptHandle(m.receiptHandle())
                        .visibilityTimeout(10)), MessageNotInflightException.class,
                "AWS.SimpleQueueService.MessageNotInflight", "The message referred to isn't in flight.");
        sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(m.receiptHandle()));
        expect(() -> sqs.changeMessageVisibility(r -> r.queueUrl(url).receiptHandle(m.receiptHandle())
                        .visibilityTimeout(10)), SqsException.class, "InvalidParameterValue",
                "Value " + m.receiptHandle() + " for parameter ReceiptHandle is invalid. Reason: Message does not "
                        + "exist or is not available for visibility timeout change.");
    }

    @Test
    void parameterRanges() {
        String url = createQueue("ranges");
        expect(() -> sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(11)), SqsException.class,
                "InvalidParameterValue",
                "Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if "
                        + "provided.");
        expect(() -> sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(21)), SqsException.class,
                "InvalidParameterValue",
                "Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be between 0 and 20, if provided.");
        expect(() -> sqs.sendMessage(r -> r.queueUrl(url).messageBody("x").delaySeconds(901)), SqsException.class,
                "InvalidParameterValue",
                "Value 901 for parameter DelaySeconds is invalid. Reason: Must be between 0 and 900, if provided.");
        expect(() -> sqs.sendMessage(r -> r.queueUrl(url).messageBody("x".repeat(262_145))), SqsException.class,
                "InvalidParameterValue",
                "One or more parameters are invalid. Reason: Message must be shorter than 262144 bytes.");
        expect(() -> sqs.sendMessage(r -> r.queueUrl(url).messageBody("bell \u0007")),
                InvalidMessageContentsException.class, "InvalidMessageContents",
                "Invalid binary character '#x7' was found in the message body, the set of allowed characters is "
                        + "#x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF");
    }

    @Test
    void queueAttributes() {
        String url = createQueue("badattr");
        expect(() -> sqs.setQueueAttributes(r -> r.queueUrl(url)
                        .attributesWithStrings(Map.of("VisibilityTimeout", "43201"))), SqsException.class,
                "InvalidAttributeValue", "Invalid value for the parameter VisibilityTimeout.");
        expect(() -> sqs.setQueueAttributes(r -> r.queueUrl(url).attributesWithStrings(Map.of("Colour", "blue"))),
                InvalidAttributeNameException.class, "InvalidAttributeName", "Unknown Attribute Colour.");
        String redrive = "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:nope\",\"maxReceiveCount\":1}";
        expect(() -> sqs.setQueueAttributes(r -> r.queueUrl(url).attributes(Map.of(QueueAttributeName.REDRIVE_POLICY,
                        redrive))),
                SqsException.class, "InvalidParameterValue", "Value {\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:"
                        + "000000000000:nope\",\"maxReceiveCount\":1} for parameter RedrivePolicy is invalid. Reason: "
                        + "Dead letter target does not exist.");
        expect(() -> sqs.createQueue(r -> r.queueName("bad name")), SqsException.class, "InvalidParameterValue",
                "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
    }
}
