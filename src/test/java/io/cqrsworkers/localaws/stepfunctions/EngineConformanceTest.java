package io.cqrsworkers.localaws.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.localaws.emulator.ManualClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.InvalidDefinitionException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Data-driven cases from the States Language specification and the developer guide, each run as a real
 * execution through the SDK. Files: src/test/resources/asl-conformance/engine/*.json, each an array of
 * {name, source?, definition, input?, status?, output?, error?, cause?, causeContains?, events?, invalidDefinition?,
 * historyLimit?, machineType?, eventCount?, lastEvents?}
 * (error / cause null: the execution fails without one; source: where the expected answer was recorded;
 * historyLimit: run on an engine built with that history limit; machineType EXPRESS: run with StartSyncExecution;
 * eventCount: the number of history events, whose ids must run 1..N with each previousEventId naming an earlier
 * event; lastEvents: the last events' id, previousEventId and type, oldest first).
 * The engine runs on a manual clock that the runner advances, so Wait states and retry intervals cost no time.
 */
class EngineConformanceTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final AtomicInteger SEQ = new AtomicInteger();
    static ManualClock clock = new ManualClock(Instant.parse("2024-01-01T00:00:00Z"));
    static StepFunctionsEmulator emulator;
    static SfnClient sfn;
    /** Engines built with another history limit, by limit. */
    static final java.util.Map<Integer, StepFunctionsEmulator> limited = new java.util.concurrent.ConcurrentHashMap<>();
    static final java.util.Map<Integer, SfnClient> limitedClients = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        emulator = StepFunctionsEmulator.builder().clock(clock).build();
        emulator.start();
        sfn = SfnTestSupport.client(emulator);
    }

    @AfterAll
    static void stop() {
        sfn.close();
        emulator.close();
        limitedClients.values().forEach(SfnClient::close);
        limited.values().forEach(StepFunctionsEmulator::close);
    }

    private static SfnClient clientFor(JsonNode c) {
        if (!c.has("historyLimit")) {
            return sfn;
        }
        int limit = c.get("historyLimit").asInt();
        return limitedClients.computeIfAbsent(limit, l -> {
            StepFunctionsEmulator e = StepFunctionsEmulator.builder().clock(clock).historyLimit(l).build();
            try {
                e.start();
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
            limited.put(l, e);
            return SfnTestSupport.client(e);
        });
    }

    @TestFactory
    Stream<DynamicTest> cases() throws IOException, URISyntaxException {
        Path dir = Path.of(EngineConformanceTest.class.getResource("/asl-conformance/engine").toURI());
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    for (JsonNode c : MAPPER.readTree(in)) {
                        String name = file.getFileName().toString().replace(".json", "") + ": " + c.get("name").asText();
                        tests.add(DynamicTest.dynamicTest(name, () -> run(c)));
                    }
                }
            }
        }
        return tests.stream();
    }

    private static void run(JsonNode c) throws IOException {
        SfnClient sfn = clientFor(c);
        String definition = MAPPER.writeValueAsString(c.get("definition"));
        String machineName = "case-" + SEQ.incrementAndGet();
        if (c.has("invalidDefinition")) {
            assertThatThrownBy(() -> SfnTestSupport.createMachine(sfn, machineName, definition))
                    .isInstanceOf(InvalidDefinitionException.class)
                    .hasMessageContaining(c.get("invalidDefinition").asText());
            return;
        }
        String input = c.has("input") ? MAPPER.writeValueAsString(c.get("input")) : "{}";
        if ("EXPRESS".equals(c.path("machineType").asText())) {
            String arn = sfn.createStateMachine(b -> b.name(machineName).definition(definition)
                    .roleArn(SfnTestSupport.ROLE).type("EXPRESS")).stateMachineArn();
            var r = sfn.startSyncExecution(b -> b.stateMachineArn(arn).input(input));
            assertThat(r.statusAsString()).as("status (error %s: %s)", r.error(), r.cause())
                    .isEqualTo(c.path("status").asText("SUCCEEDED"));
            if (c.has("output")) {
                assertThat(MAPPER.readTree(r.output())).isEqualTo(c.get("output"));
            }
            return;
        }
        String arn = SfnTestSupport.createMachine(sfn, machineName, definition);
        String exec = sfn.startExecution(b -> b.stateMachineArn(arn).name("run").input(input)).executionArn();
        DescribeExecutionResponse d = awaitEndAdvancingClock(sfn, exec);
        String expectedStatus = c.path("status").asText("SUCCEEDED");
        assertThat(d.status().toString()).as("status (error %s: %s)", d.error(), d.cause()).isEqualTo(expectedStatus);
        if (c.has("output")) {
            assertThat(MAPPER.readTree(d.output())).isEqualTo(c.get("output"));
        }
        if (c.has("error")) {
            assertThat(d.error()).as("error").isEqualTo(c.get("error").isNull() ? null : c.get("error").asText());
        }
        if (c.has("cause")) {
            assertThat(d.cause()).as("cause").isEqualTo(c.get("cause").isNull() ? null : c.get("cause").asText());
        }
        if (c.has("causeContains")) {
            assertThat(d.cause()).contains(c.get("causeContains").asText());
        }
        if (c.has("events")) {
            List<String> expected = new ArrayList<>();
            c.get("events").forEach(e -> expected.add(e.asText()));
            List<String> actual = SfnTestSupport.history(sfn, exec).stream().map(HistoryEvent::typeAsString).toList();
            assertThat(actual).isEqualTo(expected);
        }
        if (c.has("eventCount")) {
            List<HistoryEvent> all = sfn.getExecutionHistoryPaginator(b -> b.executionArn(exec).maxResults(1000))
                    .events().stream().toList();
            assertThat(all).hasSize(c.get("eventCount").asInt());
            for (int i = 0; i < all.size(); i++) {
                assertThat(all.get(i).id()).as("event %d", i).isEqualTo(i + 1L);
                assertThat(all.get(i).previousEventId()).as("previousEventId of %d", i + 1).isBetween(0L, (long) i);
            }
            assertThat(all.stream().filter(e -> e.typeAsString().startsWith("Execution")
                    && !e.typeAsString().equals("ExecutionStarted")).count()).as("end events").isEqualTo(1);
        }
        if (c.has("lastEvents")) {
            int n = c.get("lastEvents").size();
            List<HistoryEvent> tail = new ArrayList<>(sfn.getExecutionHistory(b -> b.executionArn(exec)
                    .reverseOrder(true).maxResults(n)).events());
            java.util.Collections.reverse(tail);
            List<String> actual = tail.stream().map(e -> e.id() + "/" + e.previousEventId() + "/" + e.typeAsString()).toList();
            List<String> expected = new ArrayList<>();
            c.get("lastEvents").forEach(e -> expected.add(e.path("id").asLong() + "/" + e.path("previousEventId").asLong()
                    + "/" + e.path("type").asText()));
            assertThat(actual).isEqualTo(expected);
        }
    }

    /** Polls the execution; while it runs, moves the clock on so timers (Wait, retries, timeouts) fire. */
    private static DescribeExecutionResponse awaitEndAdvancingClock(SfnClient sfn, String exec) throws IOException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(exec));
            if (d.status() != ExecutionStatus.RUNNING || System.currentTimeMillis() > deadline) {
                return d;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            clock.advance(Duration.ofMillis(500));
        }
    }
}
