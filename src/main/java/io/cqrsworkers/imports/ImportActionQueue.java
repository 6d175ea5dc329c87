package io.cqrsworkers.imports;

import io.cqrsworkers.json.Jackson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Sends rows to the import action queue as {@code csv-batch-process} messages
 * {@code {"action","tableName","tenantCode","sourceId","batchKey","items":[...]}}, each under the original's body limit
 * (256 KiB - 1024 - 300 bytes), with SendMessageBatch: up to 10 entries and 256 KiB per call. A row too large for a
 * message alone, and the rows of an entry SQS refused, are returned as failed. {@code batchKey} names the message
 * for counting it once (the caller's batch key + the message's index in it, the same when the batch is re-run).
 */
public final class ImportActionQueue {

    public static final String BEAN = "importActionQueue";

    public static final String CSV_BATCH = "csv-batch-process";
    static final int MAX_BODY_BYTES = 256 * 1024 - 1024 - 300;
    private static final int MAX_CALL_BYTES = 256 * 1024;
    private static final int MAX_ENTRIES = 10;
    private static final ObjectMapper JSON = Jackson.MAPPER;

    private final SqsClient sqs;
    private final Supplier<String> url;

    public ImportActionQueue(SqsClient sqs, Supplier<String> url) {
        this.sqs = sqs;
        this.url = url;
    }

    /** What became of a batch's rows: how many were queued, and why the others were not. */
    public record Sent(long queued, List<RowError> failed) {
    }

    public void send(JsonNode message) {
        sqs.sendMessage(b -> b.queueUrl(url.get()).messageBody(message.toString()));
    }

    /** @param rows the rows in order, each labelled for error messages by {@code labels} */
    public Sent sendRows(ImportTarget target, String batchKey, List<JsonNode> rows, List<String> labels) {
        List<RowError> failed = new ArrayList<>();
        List<Body> bodies = new ArrayList<>();
        StringBuilder items = new StringBuilder();
        int count = 0;
        int bytes = 0;
        List<Integer> members = new ArrayList<>();
        int envelope = utf8Length(envelope(target, batchKey + "/0", ""));
        for (int i = 0; i < rows.size(); i++) {
            String row = rows.get(i).toString();
            int size = utf8Length(row);
            if (envelope + size > MAX_BODY_BYTES) {
                failed.add(new RowError(0, labels.get(i) + ": the row is larger than an SQS message ("
                        + MAX_BODY_BYTES + " bytes)"));
                continue;
            }
            if (count > 0 && envelope + bytes + 1 + size > MAX_BODY_BYTES) {
                bodies.add(body(target, batchKey + "/" + bodies.size(), items, envelope + bytes, members));
                envelope = utf8Length(envelope(target, batchKey + "/" + bodies.size(), ""));
                items.setLength(0);
                count = 0;
                bytes = 0;
                members = new ArrayList<>();
            }
            if (count > 0) {
                items.append(',');
                bytes++;
            }
            items.append(row);
            bytes += size;
            count++;
            members.add(i);
        }
        if (count > 0) {
            bodies.add(body(target, batchKey + "/" + bodies.size(), items, envelope + bytes, members));
        }
        long queued = 0;
        for (List<Body> call : calls(bodies)) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int e = 0; e < call.size(); e++) {
                entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(e))
                        .messageBody(call.get(e).text()).build());
            }
            SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(url.get()).entries(entries));
            for (BatchResultErrorEntry error : response.failed()) {
                for (int i : call.get(Integer.parseInt(error.id())).rows()) {
                    failed.add(new RowError(0, labels.get(i) + ": not queued: " + error.code() + " "
                            + error.message()));
                }
            }
            for (var ok : response.successful()) {
                queued += call.get(Integer.parseInt(ok.id())).rows().size();
            }
        }
        return new Sent(queued, failed);
    }

    /** A message body, its size in UTF-8 and the rows in it. */
    private record Body(String text, int bytes, List<Integer> rows) {
    }

    private static Body body(ImportTarget target, String messageKey, CharSequence items, int bytes,
                             List<Integer> rows) {
        return new Body(envelope(target, messageKey, items.toString()), bytes, rows);
    }

    /** Groups message bodies into SendMessageBatch calls: 10 entries and 256 KiB of bodies at most. */
    private static List<List<Body>> calls(List<Body> bodies) {
        List<List<Body>> calls = new ArrayList<>();
        List<Body> call = new ArrayList<>();
        int bytes = 0;
        for (Body body : bodies) {
            if (!call.isEmpty() && (call.size() == MAX_ENTRIES || bytes + body.bytes() > MAX_CALL_BYTES)) {
                calls.add(call);
                call = new ArrayList<>();
                bytes = 0;
            }
            call.add(body);
            bytes += body.bytes();
        }
        if (!call.isEmpty()) {
            calls.add(call);
        }
        return calls;
    }

    private static String envelope(ImportTarget target, String messageKey, String items) {
        ObjectNode head = JSON.createObjectNode().put("action", CSV_BATCH).put("tableName", target.tableName())
                .put("tenantCode", target.tenantCode()).put("sourceId", target.sourceId()).put("batchKey", messageKey);
        String json = head.toString();
        return json.substring(0, json.length() - 1) + ",\"items\":[" + items + "]}";
    }

    private static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
