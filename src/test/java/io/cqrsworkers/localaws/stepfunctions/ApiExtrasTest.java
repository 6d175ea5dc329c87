package io.cqrsworkers.localaws.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.GetActivityTaskResponse;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StartSyncExecutionResponse;
import software.amazon.awssdk.services.sfn.model.StateMachineType;
import software.amazon.awssdk.services.sfn.model.SyncExecutionStatus;
import software.amazon.awssdk.services.sfn.model.TestExecutionStatus;
import software.amazon.awssdk.services.sfn.model.TestStateResponse;
import software.amazon.awssdk.services.sfn.model.ValidateStateMachineDefinitionResponse;
import software.amazon.awssdk.services.sfn.model.ValidateStateMachineDefinitionResultCode;

import static io.cqrsworkers.localaws.stepfunctions.SfnTestSupport.ROLE;
import static io.cqrsworkers.localaws.stepfunctions.SfnTestSupport.awaitEnd;
import static io.cqrsworkers.localaws.stepfunctions.SfnTestSupport.createMachine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Activities, nested executions (states:startExecution .sync / .sync:2), StartSyncExecution, TestState, validation. */
class ApiExtrasTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static StepFunctionsEmulator emulator;
    static SfnClient sfn;

    @BeforeAll
    static void start() throws Exception {
        emulator = StepFunctionsEmulator.builder().build();
        emulator.start();
        sfn = SfnTestSupport.client(emulator);
    }

    @AfterAll
    static void stop() {
        sfn.close();
        emulator.close();
    }

    @Test
    void activityWorkersTakeTasksAndAnswer() throws Exception {
        String activity = sfn.createActivity(b -> b.name("worker")).activityArn();
        assertThat(activity).isEqualTo("arn:aws:states:us-east-1:000000000000:activity:worker");
        assertThat(sfn.listActivities().activities()).anyMatch(a -> a.activityArn().equals(activity));
        String machine = createMachine(sfn, "with-activity", """
                {"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"%s","ResultPath":"$.r","End":true}}}""".formatted(activity));
        String exec = sfn.startExecution(b -> b.stateMachineArn(machine).input("{\"job\":7}")).executionArn();
        GetActivityTaskResponse task = sfn.getActivityTask(b -> b.activityArn(activity).workerName("w1"));
        assertThat(MAPPER.readTree(task.input()).path("job").asInt()).isEqualTo(7);
        sfn.sendTaskSuccess(b -> b.taskToken(task.taskToken()).output("{\"ok\":1}"));
        DescribeExecutionResponse d = awaitEnd(sfn, exec);
        assertThat(d.output()).isEqualTo("{\"job\":7,\"r\":{\"ok\":1}}");
        assertThat(SfnTestSupport.history(sfn, exec)).extracting(e -> e.typeAsString()).containsExactly(
                "ExecutionStarted", "TaskStateEntered", "ActivityScheduled", "ActivityStarted", "ActivitySucceeded",
                "TaskStateExited", "ExecutionSucceeded");
        sfn.deleteActivity(b -> b.activityArn(activity));
        assertThat(sfn.listActivities().activities()).noneMatch(a -> a.activityArn().equals(activity));
    }

    @Test
    void nestedExecutionsWithSyncPatterns() throws Exception {
        String child = createMachine(sfn, "child", """
                {"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"doubled.$":"States.MathAdd($.n, $.n)"},"End":true}}}""");
        String parent = createMachine(sfn, "parent", """
                {"StartAt":"Sync2","States":{
                  "Sync2":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
                    "Parameters":{"StateMachineArn":"%1$s","Input":{"n.$":"$.n"}},"ResultSelector":{"out.$":"$.Output"},"ResultPath":"$.a","Next":"Sync"},
                  "Sync":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync",
                    "Parameters":{"StateMachineArn":"%1$s","Input":{"n":1}},"ResultSelector":{"out.$":"$.Output"},"ResultPath":"$.b","End":true}}}""".formatted(child));
        String exec = sfn.startExecution(b -> b.stateMachineArn(parent).input("{\"n\":21}")).executionArn();
        DescribeExecutionResponse d = awaitEnd(sfn, exec);
        assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        JsonNode out = MAPPER.readTree(d.output());
        assertThat(out.path("a").path("out").path("doubled").asInt()).isEqualTo(42);
        assertThat(out.path("b").path("out").asText()).isEqualTo("{\"doubled\":2}");
    }

    @Test
    void startSyncExecutionRunsExpressMachines() {
        String express = sfn.createStateMachine(b -> b.name("express").type(StateMachineType.EXPRESS).roleArn(ROLE).definition("""
                {"StartAt":"P","States":{"P":{"Type":"Pass","Result":"done","End":true}}}""")).stateMachineArn();
        StartSyncExecutionResponse r = sfn.startSyncExecution(b -> b.stateMachineArn(express).input("{}"));
        assertThat(r.status()).isEqualTo(SyncExecutionStatus.SUCCEEDED);
        assertThat(r.output()).isEqualTo("\"done\"");
        assertThat(r.executionArn()).startsWith("arn:aws:states:us-east-1:000000000000:express:express:");
        String standard = createMachine(sfn, "standard", "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}");
        assertThatThrownBy(() -> sfn.startSyncExecution(b -> b.stateMachineArn(standard)))
                .isInstanceOf(SfnException.class)
                .satisfies(e -> assertThat(((SfnException) e).awsErrorDetails().errorCode()).isEqualTo("StateMachineTypeNotSupported"));
        assertThatThrownBy(() -> sfn.createStateMachine(b -> b.name("express-token").type(StateMachineType.EXPRESS).roleArn(ROLE).definition("""
                {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","End":true}}}""")))
                .hasMessageContaining("Express state machine does not support");
    }

    @Test
    void testStateRunsOneState() {
        TestStateResponse ok = sfn.testState(b -> b.roleArn(ROLE).input("{\"a\":1}").definition("""
                {"Type":"Pass","Parameters":{"b.$":"$.a"},"Next":"Later"}"""));
        assertThat(ok.status()).isEqualTo(TestExecutionStatus.SUCCEEDED);
        assertThat(ok.output()).isEqualTo("{\"b\":1}");
        assertThat(ok.nextState()).isEqualTo("Later");
        TestStateResponse failed = sfn.testState(b -> b.roleArn(ROLE).definition("""
                {"Type":"Fail","Error":"E","Cause":"C"}"""));
        assertThat(failed.status()).isEqualTo(TestExecutionStatus.FAILED);
        assertThat(failed.error()).isEqualTo("E");
    }

    @Test
    void validateReportsDiagnostics() {
        ValidateStateMachineDefinitionResponse ok = sfn.validateStateMachineDefinition(b -> b.definition("""
                {"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"""));
        assertThat(ok.result()).isEqualTo(ValidateStateMachineDefinitionResultCode.OK);
        ValidateStateMachineDefinitionResponse bad = sfn.validateStateMachineDefinition(b -> b.definition("""
                {"StartAt":"P","States":{"P":{"Type":"Pass","Next":"Q"}}}"""));
        assertThat(bad.result()).isEqualTo(ValidateStateMachineDefinitionResultCode.FAIL);
        // AWS reports the dangling target, then the missing terminal state without a location (floci-io/floci#2786)
        assertThat(bad.diagnostics()).hasSize(2);
        assertThat(bad.diagnostics().get(0).code()).isEqualTo("MISSING_TRANSITION_TARGET");
        assertThat(bad.diagnostics().get(0).location()).isEqualTo("/States/P/Next");
        assertThat(bad.diagnostics().get(1).code()).isEqualTo("MISSING_END_STATE");
        assertThat(bad.diagnostics().get(1).location()).isNull();
    }
}
