package io.cqrsworkers.localaws.stepfunctions.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every entry written in the compact form reads back as the line it was, its event byte for byte. */
class EntryCodecTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ARN = "arn:aws:states:us-east-1:000000000000:execution:machine-name:exec-name-1234567890";
    private static final String INPUT = "{\"a\":\"ünï \\\"q\\\" \\\\ \\u0001\",\"list\":[1,2.5,{\"x\":null}],\"pad\":\"" + "p".repeat(40) + "\"}";

    private final ObjectNode start = MAPPER.createObjectNode().put("t", "s").put("x", ARN).put("name", "exec-name-1234567890")
            .put("machine", "arn:aws:states:us-east-1:000000000000:stateMachine:machine-name").put("revision", "r1")
            .put("input", INPUT).put("start", 1_700_000_000_123L).put("n", 7);
    private final List<ObjectNode> written = new ArrayList<>();
    private final List<ObjectNode> read = new ArrayList<>();
    private final EntryCodec.Writer writer = new EntryCodec.Writer(7, start);

    /** Writes the event (as the engine hands it: its JSON text) and reads it back; returns the compact line. */
    private ObjectNode roundTrip(String eventText, ObjectNode data) throws Exception {
        ObjectNode line = EngineJournal.entryLine(ARN, written.size() + read.size() + 1);
        line.putRawValue("e", new RawValue(eventText));
        if (data != null) {
            line.set("r", data);
        }
        ObjectNode compact = writer.encode(line);
        // through the text of the journal, as a replay reads it
        ObjectNode onDisk = (ObjectNode) MAPPER.readTree(MAPPER.writeValueAsString(compact));
        ObjectNode back = EntryCodec.decode(onDisk, start, this::event);
        read.add(back);
        assertThat(MAPPER.writeValueAsString(back.get("e"))).isEqualTo(eventText);
        assertThat(back.path("x").asText()).isEqualTo(ARN);
        assertThat(back.path("q").asLong()).isEqualTo(line.path("q").asLong());
        assertThat(back.get("r")).isEqualTo(data);
        return onDisk;
    }

    private ObjectNode event(long seq) {
        return read.stream().filter(l -> l.path("q").asLong() == seq).map(l -> (ObjectNode) l.get("e")).findFirst().orElse(null);
    }

    private static String event(double ts, String type, long id, long previous, String detailsKey, ObjectNode details) throws Exception {
        ObjectNode e = MAPPER.createObjectNode().put("timestamp", ts).put("type", type).put("id", id).put("previousEventId", previous);
        if (detailsKey != null) {
            e.set(detailsKey, details);
        }
        return MAPPER.writeValueAsString(e);
    }

    private static ObjectNode obj() {
        return MAPPER.createObjectNode();
    }

    @Test
    void anExecutionsEventsReadBackByteForByteAndRepeatsBecomeReferences() throws Exception {
        ObjectNode started = roundTrip(event(1_700_000_000.123, "ExecutionStarted", 1, 0, "executionStartedEventDetails",
                obj().put("input", INPUT).set("inputDetails", obj().put("truncated", false))), null);
        assertThat(started.toString()).doesNotContain("pppp").contains("\"E\":[0,10,1,0,");
        ObjectNode entered = roundTrip(event(1_700_000_000.124, "TaskStateEntered", 2, 1, "stateEnteredEventDetails",
                obj().put("name", "Ask").put("input", INPUT).set("inputDetails", obj().put("truncated", false))), null);
        assertThat(entered.toString()).doesNotContain("pppp");
        String token = "AQB" + "t".repeat(60);
        String params = "{\"QueueUrl\":\"http://q\",\"MessageBody\":{\"context\":{\"Execution\":{\"Id\":\"" + ARN + "\",\"Input\":" + INPUT
                + ",\"Name\":\"exec-name-1234567890\"},\"Task\":{\"Token\":\"" + token + "\"}},\"input\":" + INPUT + ",\"token\":\"" + token + "\"}}";
        ObjectNode scheduled = roundTrip(event(1_700_000_000.124, "TaskScheduled", 3, 2, "taskScheduledEventDetails",
                obj().put("resourceType", "sqs").put("resource", "sendMessage.waitForTaskToken").put("region", "us-east-1")
                        .put("parameters", params).put("timeoutInSeconds", 900)), obj().put("token", token));
        assertThat(scheduled.path("E").toString()).doesNotContain("pppp").doesNotContain("tttt").doesNotContain(ARN);
        // the next Task's parameters: their common start and end with these are parts of them
        String token2 = "AQB" + "u".repeat(60);
        String params2 = params.replace(token, token2).replace("\"input\":" + INPUT, "\"input\":{}");
        ObjectNode next = roundTrip(event(1_700_000_000.125, "TaskScheduled", 4, 3, "taskScheduledEventDetails",
                obj().put("resourceType", "sqs").put("resource", "sendMessage.waitForTaskToken").put("region", "us-east-1")
                        .put("parameters", params2).put("timeoutInSeconds", 900)), obj().put("token", token2));
        assertThat(next.path("E").toString()).contains("[3,\"i\",0,").doesNotContain("QueueUrl").doesNotContain("uuuu");
        String output = "{\"result\":\"" + "r".repeat(30) + "\"}";
        roundTrip(event(1_700_000_001.5, "TaskSucceeded", 4, 3, "taskSucceededEventDetails",
                obj().put("resourceType", "sqs").put("resource", "sendMessage.waitForTaskToken").put("output", output)
                        .set("outputDetails", obj().put("truncated", false))), null);
        ObjectNode exited = roundTrip(event(1_700_000_001.5, "TaskStateExited", 5, 4, "stateExitedEventDetails",
                obj().put("name", "Ask").put("output", output).set("outputDetails", obj().put("truncated", false))), obj().put("next", "B"));
        assertThat(exited.toString()).doesNotContain("rrrr").contains("[5,\"d\"]");
        // the output inside a longer text: a piece
        ObjectNode wrapped = roundTrip(event(1_700_000_001.6, "PassStateExited", 6, 5, "stateExitedEventDetails",
                obj().put("name", "Wrap").put("output", "[" + output + "," + output + "]")
                        .set("outputDetails", obj().put("truncated", false))), null);
        assertThat(wrapped.toString()).doesNotContain("rrrr");
    }

    @Test
    void whatTheTablesLackIsWrittenAsItIs() throws Exception {
        // an unknown type, a field the table lacks, details under a key of their own, values of every kind
        ObjectNode odd = roundTrip(event(1_700_000_000.2, "SomeNewEvent", 1, 0, "otherDetails",
                obj().put("newField", "value " + ARN + " and " + INPUT).put("flag", true).put("num", 1.5e300).put("big", 12345678901234L)
                        .putNull("nothing").set("nested", obj().put("a", "b").set("c", obj().put("truncated", false)))), null);
        assertThat(odd.path("E").get(1).asText()).isEqualTo("SomeNewEvent");
        assertThat(odd.path("E").get(5).asText()).isEqualTo("otherDetails");
        roundTrip(event(1_700_000_000.3, "ParallelStateStarted", 2, 1, null, null), null);
        // constants, also where a string equals one, and a truncated flag
        roundTrip(event(1_700_000_000.3, "TaskStarted", 3, 2, "taskStartedEventDetails",
                obj().put("resourceType", "sqs").put("resource", "{}").put("output", "null").set("outputDetails", obj().put("truncated", true))), null);
        // a text that is only a needle, needles side by side, a needle at both ends, an empty string
        roundTrip(event(1_700_000_000.4, "PassStateExited", 4, 3, "stateExitedEventDetails",
                obj().put("name", ARN).put("output", INPUT + INPUT).put("cause", ARN + "x" + ARN).put("error", "")), null);
    }

    @Test
    void aCommonStartOrEndDoesNotSplitASurrogatePair() throws Exception {
        String base = "{\"QueueUrl\":\"http://q/" + "q".repeat(40) + "\",\"v\":\"";
        String end = "\",\"end\":\"" + "e".repeat(40) + "\"}";
        for (String[] pair : new String[][] {{"\uD83D\uDE00", "\uD83D\uDE01"}, {"\uD83D\uDE00", "\uD83E\uDE00"}, {"a\uD83D\uDE00", "b\uD83D\uDE00"}}) {
            read.clear();
            EntryCodec.Writer w = new EntryCodec.Writer(7, start);
            for (String v : pair) {
                String text = event(1_700_000_000.2, "TaskScheduled", read.size() + 1, read.size(), "taskScheduledEventDetails",
                        obj().put("parameters", base + v + end));
                ObjectNode line = EngineJournal.entryLine(ARN, read.size() + 1);
                line.putRawValue("e", new RawValue(text));
                ObjectNode onDisk = (ObjectNode) MAPPER.readTree(MAPPER.writeValueAsString(w.encode(line)));
                ObjectNode back = EntryCodec.decode(onDisk, start, this::event);
                read.add(back);
                assertThat(MAPPER.writeValueAsString(back.get("e"))).isEqualTo(text);
            }
        }
    }

    @Test
    void anEventThatDoesNotFitStaysInTheFirstFormat() throws Exception {
        // an array among the details, a one-letter field, a time that is not a whole millisecond, a time before the start
        for (String text : List.of(
                event(1_700_000_000.2, "TaskScheduled", 1, 0, "taskScheduledEventDetails", (ObjectNode) obj().set("list", MAPPER.createArrayNode().add(1))),
                event(1_700_000_000.2, "TaskScheduled", 2, 1, "taskScheduledEventDetails", obj().put("a", "x")),
                event(1_700_000_000.1234, "TaskStarted", 3, 2, "taskStartedEventDetails", obj().put("resource", "r")),
                "{\"timestamp\":1700000000,\"type\":\"TaskStarted\",\"id\":4,\"previousEventId\":3}",
                "{\"type\":\"TaskStarted\",\"timestamp\":1.7E9,\"id\":5,\"previousEventId\":4}")) {
            ObjectNode line = roundTrip(text, null);
            assertThat(line.has("e")).as(text).isTrue();
            assertThat(line.has("E")).isFalse();
        }
        ObjectNode early = roundTrip(event(1_699_999_999.0, "TaskStarted", 6, 5, "taskStartedEventDetails", obj().put("resource", "r")), null);
        assertThat(early.path("E").get(0).asLong()).isEqualTo(-1123);
    }

    @Test
    void anEntryRefersOnlyToEntriesBeforeIt() throws Exception {
        String output = "{\"result\":\"" + "r".repeat(30) + "\"}";
        for (long q : new long[] {5, 3}) {
            ObjectNode line = EngineJournal.entryLine(ARN, q);
            line.putRawValue("e", new RawValue(event(1_700_000_000.2, "PassStateExited", q, q - 1, "stateExitedEventDetails",
                    obj().put("name", "P").put("output", output))));
            assertThat(writer.encode(line).toString()).as("entry " + q).contains("rrrr");
        }
    }

    @Test
    void aMarkerKeepsItsData() throws Exception {
        ObjectNode line = EngineJournal.entryLine(ARN, 9).put("f", "0/1").put("k", "retry");
        line.set("r", obj().put("at", 5).put("token", "abc"));
        ObjectNode compact = writer.encode(line);
        assertThat(compact.has("x")).isFalse();
        assertThat(compact.path("n").asLong()).isEqualTo(7);
        JsonNode back = EntryCodec.decode((ObjectNode) MAPPER.readTree(compact.toString()), start, q -> null);
        assertThat(back).isEqualTo(MAPPER.readTree(line.toString()));
    }
}
