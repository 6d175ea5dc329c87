package io.cqrsworkers.localaws.persist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** When a snapshot is due, and what a reopened log replays. */
class JsonLinesLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode line(int n) {
        return JSON.createObjectNode().put("n", n).put("pad", "x".repeat(90));
    }

    @Test
    void aSnapshotIsDueOnceTheJournalOutgrowsTheMinimumAndTheLastSnapshot(@TempDir Path dir) throws Exception {
        List<Integer> state = new ArrayList<>();
        JsonLinesLog log = JsonLinesLog.open(dir, n -> { }, 1_000);
        for (int i = 0; i < 9; i++) {
            state.add(i);
            log.append(line(i));
        }
        assertThat(log.worthCompacting()).as("about 900 bytes").isFalse();
        state.add(9);
        log.append(line(9));
        assertThat(log.worthCompacting()).as("past the 1,000-byte minimum").isTrue();

        // the state is 50 lines (about 5 KB) when the snapshot is written
        for (int i = 10; i < 50; i++) {
            state.add(i);
        }
        Consumer<Consumer<ObjectNode>> writeState = sink -> state.forEach(n -> sink.accept(line(n)));
        log.compact(writeState);
        assertThat(log.worthCompacting()).isFalse();
        for (int i = 0; i < 20; i++) {
            log.append(line(100 + i));
        }
        assertThat(log.worthCompacting()).as("2 KB of journal: past the minimum, not past the 5 KB snapshot")
                .isFalse();
        log.close();

        List<Integer> replayed = new ArrayList<>();
        JsonLinesLog reopened = JsonLinesLog.open(dir, (JsonNode n) -> replayed.add(n.get("n").asInt()), 1_000);
        assertThat(replayed).hasSize(70).startsWith(0, 1, 2).endsWith(118, 119);
        for (int i = 0; i < 31; i++) {
            reopened.append(line(200 + i));
        }
        assertThat(reopened.worthCompacting()).as("a reopened log knows its snapshot's size: 3 KB is not enough")
                .isFalse();
        for (int i = 0; i < 30; i++) {
            reopened.append(line(300 + i));
        }
        assertThat(reopened.worthCompacting()).as("past the snapshot's 5 KB").isTrue();
        reopened.close();
    }
}
