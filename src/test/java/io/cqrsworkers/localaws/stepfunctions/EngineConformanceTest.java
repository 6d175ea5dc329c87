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
 * {name, source?, definition, input?, status?, output?, error?, cause?, causeContains?, events?, invalidDefinition?}
 * (error / cause null: the execution fails without one; source: where the expected answer was recorded).
 * The engine runs on a manual clock that the runner advances, so Wait states and retry intervals cost no time.
 */
class EngineConformanceTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final AtomicInteger SEQ = new AtomicInteger();
    static ManualClock clock = new ManualClock(Instant.parse("2024-01-01T00:00:00Z"));
    static StepFunctionsEmulator emulator;
    static SfnClient sfn;

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
        String definition = MAPPER.writeValueAsString(c.get("definition"));
        String machineName = "case-" + SEQ.incrementAndGet();
        if (c.has("invalidDefinition")) {
            assertThatThrownBy(() -> SfnTestSupport.createMachine(sfn, machineName, definition))
                    .isInstanceOf(InvalidDefinitionException.class)
                    .hasMessageContaining(c.get("invalidDefinition").asText());
            return;
        }
        String arn = SfnTestSupport.createMachine(sfn, machineName, definition);
        String input = c.has("input") ? MAPPER.writeValueAsString(c.get("input")) : "{}";
        String exec = sfn.startExecution(b -> b.stateMachineArn(arn).name("run").input(input)).executionArn();
        DescribeExecutionResponse d = awaitEndAdvancingClock(exec);
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
    }

    /** Polls the execution; while it runs, moves the clock on so timers (Wait, retries, timeouts) fire. */
    private static DescribeExecutionResponse awaitEndAdvancingClock(String exec) throws IOException {
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
