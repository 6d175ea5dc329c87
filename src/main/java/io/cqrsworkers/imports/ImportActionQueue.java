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
 * {@code {"action","tableName","tenantCode","sourceId","batchKey","rowNumbers":[...],"items":[...]}} (each item's row
 * number at the same place in {@code rowNumbers}), each under the original's body limit
 * (256 KiB - 1024 - 300 bytes), with SendMessageBatch: up to 10 entries and 256 KiB per call. A row too large for a
 * message alone, and the rows of an entry SQS refused, are returned as failed. {@code batchKey} names the message
 * for counting it once (the caller's batch key + the message's index in it, the same when the batch is re-run).
 */
public final class ImportActionQueue {

    public static final String BEAN = "importActionQueue";

    public static final String CSV_BATCH = "csv-batch-process";
    /** The message field holding each item's row number (see {@link RowError}). */
    static final String ROW_NUMBERS = "rowNumbers";
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

    /** @param rows the rows in order, each named in reasons and in its message by {@code refs} */
    public Sent sendRows(ImportTarget target, String batchKey, List<JsonNode> rows, List<CsvRowsHandler.RowRef> refs) {
        List<RowError> failed = new ArrayList<>();
        List<Body> bodies = new ArrayList<>();
        Pending pending = new Pending();
        int envelope = utf8Length(envelope(target, batchKey + "/0", "", ""));
        for (int i = 0; i < rows.size(); i++) {
            String row = rows.get(i).toString();
            String number = Long.toString(refs.get(i).number());
            // the row and its number, each with a comma after the first
            int size = utf8Length(row) + number.length() + 2;
            if (envelope + size > MAX_BODY_BYTES) {
                failed.add(refs.get(i).error("the row is larger than an SQS message (" + MAX_BODY_BYTES + " bytes)"));
                continue;
            }
            if (!pending.members.isEmpty() && envelope + pending.bytes + size > MAX_BODY_BYTES) {
                bodies.add(pending.body(target, batchKey + "/" + bodies.size(), envelope));
                envelope = utf8Length(envelope(target, batchKey + "/" + bodies.size(), "", ""));
                pending = new Pending();
            }
            pending.add(i, row, number, size);
        }
        if (!pending.members.isEmpty()) {
            bodies.add(pending.body(target, batchKey + "/" + bodies.size(), envelope));
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
                    failed.add(refs.get(i).error("not queued: " + error.code() + " " + error.message()));
                }
            }
            for (var ok : response.successful()) {
                queued += call.get(Integer.parseInt(ok.id())).rows().size();
            }
        }
        return new Sent(queued, failed);
    }

    /** The rows of the message being filled: their JSON, their numbers, their size with commas. */
    private static final class Pending {
        private final StringBuilder items = new StringBuilder();
        private final StringBuilder numbers = new StringBuilder();
        private final List<Integer> members = new ArrayList<>();
        private int bytes;

        void add(int index, String row, String number, int size) {
            if (!members.isEmpty()) {
                items.append(',');
                numbers.append(',');
            }
            items.append(row);
            numbers.append(number);
            members.add(index);
            bytes += members.size() == 1 ? size - 2 : size;
        }

        Body body(ImportTarget target, String messageKey, int envelope) {
            return new Body(envelope(target, messageKey, numbers.toString(), items.toString()), envelope + bytes,
                    members);
        }
    }

    /** A message body, its size in UTF-8 and the rows in it. */
    private record Body(String text, int bytes, List<Integer> rows) {
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

    private static String envelope(ImportTarget target, String messageKey, String numbers, String items) {
        ObjectNode head = JSON.createObjectNode().put("action", CSV_BATCH).put("tableName", target.tableName())
                .put("tenantCode", target.tenantCode()).put("sourceId", target.sourceId()).put("batchKey", messageKey);
        String json = head.toString();
        return json.substring(0, json.length() - 1) + ",\"" + ROW_NUMBERS + "\":[" + numbers + "],\"items\":["
                + items + "]}";
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
