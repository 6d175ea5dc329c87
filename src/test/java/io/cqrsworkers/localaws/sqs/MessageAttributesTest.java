package io.cqrsworkers.localaws.sqs;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Message attributes of every type round trip; the SDK itself checks MD5OfMessageBody and MD5OfMessageAttributes on
 * send and on receive, so every call here that succeeds also proves the digests.
 */
class MessageAttributesTest extends SqsTestSupport {

    private static Map<String, MessageAttributeValue> attributes() {
        Map<String, MessageAttributeValue> a = new LinkedHashMap<>();
        a.put("trace.id", MessageAttributeValue.builder().dataType("String").stringValue("abc-ü").build());
        a.put("trace.span", MessageAttributeValue.builder().dataType("String.custom").stringValue("s1").build());
        a.put("count", MessageAttributeValue.builder().dataType("Number").stringValue("42.5").build());
        a.put("int", MessageAttributeValue.builder().dataType("Number.int").stringValue("-7").build());
        a.put("blob", MessageAttributeValue.builder().dataType("Binary")
                .binaryValue(SdkBytes.fromByteArray(new byte[] {0, 1, 2, (byte) 0xff})).build());
        return a;
    }

    @Test
    void allTypesRoundTripWithTheirDigest() {
        String url = createQueue("attrs");
        SendMessageResponse sent = sqs.sendMessage(r -> r.queueUrl(url).messageBody("body")
                .messageAttributes(attributes()));
        assertThat(sent.md5OfMessageAttributes()).hasSize(32);
        Message m = sqs.receiveMessage(r -> r.queueUrl(url).messageAttributeNames("All")).messages().get(0);
        assertThat(m.messageAttributes()).isEqualTo(attributes());
        assertThat(m.md5OfMessageAttributes()).isEqualTo(sent.md5OfMessageAttributes());
        assertThat(m.md5OfBody()).isEqualTo("841a2d689ad86bd1611447453c22c6fc");
    }

    @Test
    void receiveSelectsAttributesByNameAndPrefix() {
        String url = createQueue("select");
        for (int i = 0; i < 3; i++) {
            sqs.sendMessage(r -> r.queueUrl(url).messageBody("b").messageAttributes(attributes()));
        }
        Message byPrefix = sqs.receiveMessage(r -> r.queueUrl(url).messageAttributeNames("trace.*")).messages().get(0);
        assertThat(byPrefix.messageAttributes()).containsOnlyKeys("trace.id", "trace.span");
        Message byName = sqs.receiveMessage(r -> r.queueUrl(url).messageAttributeNames("count", "missing"))
                .messages().get(0);
        assertThat(byName.messageAttributes()).containsOnlyKeys("count");
        Message none = sqs.receiveMessage(r -> r.queueUrl(url)).messages().get(0);
        assertThat(none.messageAttributes()).isEmpty();
        assertThat(none.md5OfMessageAttributes()).isNull();
    }

    @Test
    void traceHeaderSystemAttribute() {
        String url = createQueue("trace");
        SendMessageResponse sent = sqs.sendMessage(r -> r.queueUrl(url).messageBody("t").messageSystemAttributes(
                Map.of(MessageSystemAttributeNameForSends.AWS_TRACE_HEADER, MessageSystemAttributeValue.builder()
                        .dataType("String").stringValue("Root=1-5759e988-bd862e3fe1be46a994272793").build())));
        assertThat(sent.md5OfMessageSystemAttributes()).hasSize(32);
        Message m = sqs.receiveMessage(r -> r.queueUrl(url).messageSystemAttributeNamesWithStrings("AWSTraceHeader"))
                .messages().get(0);
        assertThat(m.attributesAsStrings()).containsOnly(
                Map.entry("AWSTraceHeader", "Root=1-5759e988-bd862e3fe1be46a994272793"));
    }

    @Test
    void badAttributesAreRefused() {
        String url = createQueue("badattrs");
        assertThatThrownBy(() -> sqs.sendMessage(r -> r.queueUrl(url).messageBody("b").messageAttributes(Map.of(
                "n", MessageAttributeValue.builder().dataType("Number").stringValue("twelve").build()))))
                .isInstanceOfSatisfying(SqsException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
                    assertThat(e.awsErrorDetails().errorMessage())
                            .isEqualTo("Could not cast message attribute 'n' value to number.");
                });
        assertThatThrownBy(() -> sqs.sendMessage(r -> r.queueUrl(url).messageBody("b").messageAttributes(Map.of(
                "x", MessageAttributeValue.builder().dataType("Date").stringValue("today").build()))))
                .isInstanceOf(SqsException.class).hasMessageContaining("supported type prefixes");
    }
}
