package io.cqrsworkers.localaws.stepfunctions.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.core.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** An event kept as its parts reads back, as a tree and as text, exactly as the API shows it. */
class HistoryTest {

    /** Names and payloads that need escaping: quotes, backslashes, control characters, non-ASCII, a slash. */
    private static final String NAME = "Step \"1\" \\ a/b \t\n\u0001 é 日本";

    @Test
    void aStateEventsTextIsTheTextOfItsTree() throws Exception {
        ObjectNode payload = Json.object().put("text", NAME).put("n", 1.5);
        payload.putArray("list").add(1).add("x\u001fy");
        History.Fields entered = new History.Fields(1_700_000_000_123L, "PassStateEntered", 7, 6,
                "stateEnteredEventDetails", new History.Payload(NAME, "input", payload));
        History.Fields exited = new History.Fields(1_700_000_000_000L, "PassStateExited", 8, 7,
                "stateExitedEventDetails", new History.Payload(NAME, "output", payload));
        for (History.Fields f : new History.Fields[] {entered, exited}) {
            assertThat(f.text()).isEqualTo(Json.write(f.tree()));
            ObjectNode read = (ObjectNode) Json.parse(f.text());
            String key = f.detailsKey();
            assertThat(read.path(key).path("name").asText()).isEqualTo(NAME);
            String payloadKey = f.type().endsWith("Entered") ? "input" : "output";
            assertThat(Json.parse(read.path(key).path(payloadKey).asText())).isEqualTo(payload);
            assertThat(read.path(key).path(payloadKey + "Details").path("truncated").asBoolean(true)).isFalse();
            assertThat(read.path("timestamp").asDouble()).isEqualTo(f.millis() / 1000.0);
        }
    }

    @Test
    void iterationAndPlainEventsTextIsTheTextOfTheirTree() {
        History.Fields iteration = new History.Fields(1_700_000_000_999L, "MapIterationStarted", 12, 11,
                "mapIterationStartedEventDetails", new History.Iteration(NAME, 41));
        History.Fields plain = new History.Fields(1_700_000_000_001L, "TaskScheduled", 3, 2,
                "taskScheduledEventDetails", Json.object().put("resource", NAME).put("timeoutInSeconds", 30));
        History.Fields bare = new History.Fields(1_700_000_000_010L, "MapStateSucceeded", 4, 3, null, null);
        for (History.Fields f : new History.Fields[] {iteration, plain, bare}) {
            assertThat(f.text()).isEqualTo(Json.write(f.tree()));
        }
    }

    @Test
    void aClosedHistoryReadsAsBeforeWithoutItsMarkers() {
        History h = new History(null, 4);
        ObjectNode input = Json.object().put("id", 1);
        long started = h.add(1_700_000_000_000L, "ExecutionStarted", 0, "executionStartedEventDetails",
                Json.object().put("input", "{\"id\":1}").put("roleArn", "arn:aws:iam::1:role/r"));
        long entered = h.add(1_700_000_000_005L, "PassStateEntered", started, "stateEnteredEventDetails",
                new History.Payload(NAME, "input", input), "", null);
        h.mark("", "retry", Json.object().put("due", 5));
        long iteration = h.add(1_700_000_000_007L, "MapIterationStarted", entered, "mapIterationStartedEventDetails",
                new History.Iteration(NAME, 3), "/2.0", null);
        ObjectNode output = input.deepCopy().put("last", 2);
        long exited = h.add(1_700_000_000_009L, "PassStateExited", iteration, "stateExitedEventDetails",
                new History.Payload(NAME, "output", output), "", "Next");
        // the next state's input is the same value: its text is kept once, and read back for both events
        long next = h.add(1_700_000_000_009L, "PassStateEntered", exited, "stateEnteredEventDetails",
                new History.Payload("Next", "input", output), "", null);
        ObjectNode odd = Json.object().put("text", NAME).put("half", 1.5).put("big", new java.math.BigDecimal("1e400"))
                .put("long", Long.MIN_VALUE).put("yes", true).putNull("none");
        odd.putArray("list").add(1).add("x\u001fy").addObject();
        h.add(1_700_000_000_010L, "PassStateExited", next, "stateExitedEventDetails",
                new History.Payload("Next", "output", odd), "", null);
        h.add(1_700_000_000_010L, "ExecutionSucceeded", 6, null, null);
        // as the API writes them (the payloads are written when read, so the trees compare by their text)
        List<String> before = h.snapshot().stream().map(Json::write).toList();
        assertThat(before).hasSize(7);

        h.close();

        assertThat(h.snapshot().stream().map(Json::write).toList()).isEqualTo(before);
        assertThat(h.snapshot().get(5).path("stateExitedEventDetails").path("output").isTextual()).isTrue();
        assertThat(h.entries()).isEmpty();
        assertThat(h.size()).isEqualTo(7);
    }
}
