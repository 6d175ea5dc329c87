package io.cqrsworkers.localaws.stepfunctions;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

import java.util.List;

import static io.cqrsworkers.localaws.stepfunctions.SfnTestSupport.awaitEnd;
import static io.cqrsworkers.localaws.stepfunctions.SfnTestSupport.createMachine;
import static io.cqrsworkers.localaws.stepfunctions.SfnTestSupport.history;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A time scale of 0.001: a minute of workflow time passes in 60 ms, and the history still shows the minute. */
class TimeScaleTest {
    static StepFunctionsEmulator emulator;
    static SfnClient sfn;

    @BeforeAll
    static void start() throws Exception {
        emulator = StepFunctionsEmulator.builder().timeScale(0.001).build();
        emulator.start();
        sfn = SfnTestSupport.client(emulator);
    }

    @AfterAll
    static void stop() {
        sfn.close();
        emulator.close();
    }

    @Test
    void aSixtySecondWaitRunsInWellUnderASecond() {
        String m = createMachine(sfn, "wait-a-minute", """
                {"StartAt":"Wait","States":{"Wait":{"Type":"Wait","Seconds":60,"Next":"Done"},"Done":{"Type":"Pass","End":true}}}""");
        long t0 = System.nanoTime();
        DescribeExecutionResponse d = awaitEnd(sfn, sfn.startExecution(b -> b.stateMachineArn(m)).executionArn());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(ms).isLessThan(1_000);
        // the engine's clock is the real one: the wait took at least its scaled 60 ms
        assertThat(d.stopDate().toEpochMilli() - d.startDate().toEpochMilli()).isGreaterThanOrEqualTo(60);
    }

    @Test
    void timeoutsAndHeartbeatsAreScaledAndTheHistoryShowsTheDefinitionsSeconds() {
        String activity = sfn.createActivity(b -> b.name("never-answers")).activityArn();
        String m = createMachine(sfn, "times-out", """
                {"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"%s","TimeoutSeconds":600,"HeartbeatSeconds":30,"End":true}}}"""
                .formatted(activity));
        long t0 = System.nanoTime();
        DescribeExecutionResponse d = awaitEnd(sfn, sfn.startExecution(b -> b.stateMachineArn(m)).executionArn());
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1_000);
        assertThat(d.error()).isEqualTo("States.HeartbeatTimeout");
        List<HistoryEvent> h = history(sfn, d.executionArn());
        HistoryEvent scheduled = h.stream().filter(e -> e.typeAsString().equals("ActivityScheduled")).findFirst().orElseThrow();
        assertThat(scheduled.activityScheduledEventDetails().timeoutInSeconds()).isEqualTo(600);
        assertThat(scheduled.activityScheduledEventDetails().heartbeatInSeconds()).isEqualTo(30);
    }

    @Test
    void theMachinesTimeoutIsScaledToo() {
        String m = createMachine(sfn, "machine-timeout", """
                {"TimeoutSeconds":60,"StartAt":"Wait","States":{"Wait":{"Type":"Wait","Seconds":3600,"End":true}}}""");
        DescribeExecutionResponse d = awaitEnd(sfn, sfn.startExecution(b -> b.stateMachineArn(m)).executionArn());
        assertThat(d.status()).isEqualTo(ExecutionStatus.TIMED_OUT);
        assertThat(history(sfn, d.executionArn()).get(history(sfn, d.executionArn()).size() - 1)
                .executionTimedOutEventDetails().cause()).isEqualTo("The state machine timed out after 60 seconds");
    }

    @Test
    void retryIntervalsAreScaled() {
        String activity = sfn.createActivity(b -> b.name("slow")).activityArn();
        String m = createMachine(sfn, "retries", """
                {"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"%s","TimeoutSeconds":10,
                  "Retry":[{"ErrorEquals":["States.Timeout"],"IntervalSeconds":10,"MaxAttempts":2,"BackoffRate":2}],"End":true}}}"""
                .formatted(activity));
        long t0 = System.nanoTime();
        DescribeExecutionResponse d = awaitEnd(sfn, sfn.startExecution(b -> b.stateMachineArn(m)).executionArn());
        // three attempts of 10 s and retries after 10 and 20 s: 60 s by the definition
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1_000);
        assertThat(d.error()).isEqualTo("States.Timeout");
        assertThat(history(sfn, d.executionArn())).filteredOn(e -> e.typeAsString().equals("ActivityTimedOut")).hasSize(3);
    }

    @Test
    void aScaleMustBePositive() {
        assertThatThrownBy(() -> StepFunctionsEmulator.builder().timeScale(0)).hasMessageContaining("must be a positive number");
        assertThatThrownBy(() -> StepFunctionsEmulator.builder().timeScale(Double.NaN)).hasMessageContaining("must be a positive number");
    }
}
