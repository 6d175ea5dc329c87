package io.cqrsworkers.localaws.sqs;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.BatchEntryIdsNotDistinctException;
import software.amazon.awssdk.services.sqs.model.BatchRequestTooLongException;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.EmptyBatchRequestException;
import software.amazon.awssdk.services.sqs.model.InvalidBatchEntryIdException;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.TooManyEntriesInBatchRequestException;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The three batch actions: whole-request errors, and per-entry failures next to successes. */
class BatchTest extends SqsTestSupport {

    private static SendMessageBatchRequestEntry entry(String id, String body) {
        return SendMessageBatchRequestEntry.builder().id(id).messageBody(body).build();
    }

    @Test
    void sendBatchWithOneBadEntry() {
        String url = createQueue("batch");
        SendMessageBatchResponse r = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(
                entry("a", "first"), entry("b", "bad \u0000 char"),
                SendMessageBatchRequestEntry.builder().id("c").messageBody("late").delaySeconds(901).build(),
                entry("d", "second")));
        assertThat(r.successful()).extracting(e -> e.id()).containsExactly("a", "d");
        assertThat(r.successful().get(0).md5OfMessageBody()).isEqualTo("8b04d5e3775d298e78455efc5ca404d5");
        assertThat(r.failed()).hasSize(2);
        assertThat(r.failed().get(0).id()).isEqualTo("b");
        assertThat(r.failed().get(0).code()).isEqualTo("InvalidMessageContents");
        assertThat(r.failed().get(0).senderFault()).isTrue();
        assertThat(r.failed().get(1).id()).isEqualTo("c");
        assertThat(r.failed().get(1).code()).isEqualTo("InvalidParameterValue");
        assertThat(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages())
                .extracting(Message::body).containsExactlyInAnyOrder("first", "second");
    }

    @Test
    void wholeBatchErrors() {
        String url = createQueue("batcherr");
        assertThatThrownBy(() -> sqs.sendMessageBatch(b -> b.queueUrl(url).entries(List.of())))
                .isInstanceOfSatisfying(EmptyBatchRequestException.class, e -> assertThat(
                        e.awsErrorDetails().errorCode()).isEqualTo("AWS.SimpleQueueService.EmptyBatchRequest"));
        List<SendMessageBatchRequestEntry> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add(entry("e" + i, "x"));
        }
        assertThatThrownBy(() -> sqs.sendMessageBatch(b -> b.queueUrl(url).entries(eleven)))
                .isInstanceOfSatisfying(TooManyEntriesInBatchRequestException.class, e -> assertThat(
                        e.awsErrorDetails().errorCode())
                        .isEqualTo("AWS.SimpleQueueService.TooManyEntriesInBatchRequest"));
        assertThatThrownBy(() -> sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entry("x", "1"), entry("x", "2"))))
                .isInstanceOf(BatchEntryIdsNotDistinctException.class).hasMessageContaining("Id x repeated.");
        assertThatThrownBy(() -> sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entry("no spaces", "1"))))
                .isInstanceOf(InvalidBatchEntryIdException.class);
        String big = "x".repeat(100_000);
        assertThatThrownBy(() -> sqs.sendMessageBatch(b -> b.queueUrl(url).entries(
                entry("a", big), entry("b", big), entry("c", big))))
                .isInstanceOf(BatchRequestTooLongException.class);
        assertThat(sqs.receiveMessage(b -> b.queueUrl(url)).messages()).isEmpty();
    }

    @Test
    void deleteAndChangeVisibilityBatchesReportBadHandlesPerEntry() {
        String url = createQueue("batchdel");
        sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entry("a", "1"), entry("b", "2"), entry("c", "3")));
        List<Message> got = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages();
        assertThat(got).hasSize(3);

        ChangeMessageVisibilityBatchResponse changed = sqs.changeMessageVisibilityBatch(b -> b.queueUrl(url).entries(
                e -> e.id("ok").receiptHandle(got.get(0).receiptHandle()).visibilityTimeout(0),
                e -> e.id("bad").receiptHandle("garbage!").visibilityTimeout(0)));
        assertThat(changed.successful()).extracting(e -> e.id()).containsExactly("ok");
        assertThat(changed.failed()).extracting(e -> e.code()).containsExactly("ReceiptHandleIsInvalid");

        DeleteMessageBatchResponse deleted = sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(
                e -> e.id("one").receiptHandle(got.get(1).receiptHandle()),
                e -> e.id("two").receiptHandle(got.get(2).receiptHandle()),
                e -> e.id("three").receiptHandle("garbage!")));
        assertThat(deleted.successful()).extracting(e -> e.id()).containsExactly("one", "two");
        assertThat(deleted.failed()).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo("three");
            assertThat(f.code()).isEqualTo("ReceiptHandleIsInvalid");
            assertThat(f.message()).isEqualTo("The input receipt handle \"garbage!\" is not a valid receipt handle.");
        });
        // the first message was released by the visibility batch and is the only one left
        assertThat(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages())
                .extracting(Message::body).containsExactly(got.get(0).body());
    }
}
