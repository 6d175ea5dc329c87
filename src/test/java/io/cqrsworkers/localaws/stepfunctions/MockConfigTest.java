package io.cqrsworkers.localaws.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.localaws.emulator.ManualClock;
import io.cqrsworkers.localaws.stepfunctions.runtime.MockConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.ValidationException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.cqrsworkers.localaws.stepfunctions.SfnTestSupport.awaitEnd;
import static io.cqrsworkers.localaws.stepfunctions.SfnTestSupport.createMachine;
import static io.cqrsworkers.localaws.stepfunctions.SfnTestSupport.history;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A workflow whose Task states call Lambda and SQS, tested through a mock configuration only: the engine has no
 * Lambda integration and no SQS endpoint here, so every result below comes from the mocks.
 */
class MockConfigTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String DEFINITION = """
            {"StartAt":"LambdaState","States":{
              "LambdaState":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                "Parameters":{"FunctionName":"arn:aws:lambda:us-east-1:000000000000:function:hello","Payload.$":"$"},
                "ResultSelector":{"body.$":"$.Payload.body"},"ResultPath":"$.lambda",
                "Retry":[{"ErrorEquals":["Lambda.ResourceNotReadyException","Lambda.TimeoutException"],"MaxAttempts":3}],
                "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"Fallback"}],
                "Next":"SQSState"},
              "SQSState":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage",
                "Parameters":{"QueueUrl":"http://queue/orders","MessageBody.$":"$.lambda.body"},"ResultPath":"$.sqs","End":true},
              "Fallback":{"Type":"Pass","End":true}}}""";
    private static final String MOCKS = """
            {"StateMachines":{"LambdaSQSIntegration":{"TestCases":{
                "HappyPath":{"LambdaState":"MockedLambdaSuccess","SQSState":"MockedSQSSuccess"},
                "RetryPath":{"LambdaState":"MockedLambdaRetry","SQSState":"MockedSQSSuccess"},
                "CatchPath":{"LambdaState":"MockedLambdaBroken"},
                "RunsOut":{"LambdaState":"MockedLambdaNotReadyOnce"},
                "HybridPath":{"SQSState":"MockedSQSSuccess"}}}},
             "MockedResponses":{
                "MockedLambdaSuccess":{"0":{"Return":{"StatusCode":200,"Payload":{"StatusCode":200,"body":"Hello from Lambda!"}}}},
                "MockedLambdaRetry":{
                  "0":{"Throw":{"Error":"Lambda.ResourceNotReadyException","Cause":"Lambda resource is not ready."}},
                  "1-2":{"Throw":{"Error":"Lambda.TimeoutException","Cause":"Lambda timed out."}},
                  "3":{"Return":{"StatusCode":200,"Payload":{"StatusCode":200,"body":"third time lucky"}}}},
                "MockedLambdaBroken":{"0":{"Throw":{"Error":"Lambda.ServiceException","Cause":"broken"}}},
                "MockedLambdaNotReadyOnce":{"0":{"Throw":{"Error":"Lambda.ResourceNotReadyException","Cause":"not ready"}}},
                "MockedSQSSuccess":{"0":{"Return":{"MD5OfMessageBody":"3bcb6e8e","MessageId":"m-1"}}}}}""";

    static StepFunctionsEmulator emulator;
    static SfnClient sfn;
    static String machine;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("MockConfigFile.json");
        Files.writeString(file, MOCKS);
        // the retries wait 1 + 2 + 4 s by the definition: a thousandth of that here
        emulator = StepFunctionsEmulator.builder().mockConfig(file).timeScale(0.001).build();
        emulator.start();
        sfn = SfnTestSupport.client(emulator);
        machine = createMachine(sfn, "LambdaSQSIntegration", DEFINITION);
    }

    @AfterAll
    static void stop() {
        sfn.close();
        emulator.close();
    }

    private static DescribeExecutionResponse run(String testCase, String name) {
        String arn = sfn.startExecution(b -> b.stateMachineArn(machine + "#" + testCase).name(name).input("{\"order\":1}")).executionArn();
        assertThat(arn).isEqualTo("arn:aws:states:us-east-1:000000000000:execution:LambdaSQSIntegration:" + name);
        return awaitEnd(sfn, arn);
    }

    private static List<HistoryEvent> tasks(String executionArn, String type) {
        return history(sfn, executionArn).stream().filter(e -> e.typeAsString().equals(type)).toList();
    }

    @Test
    void happyPathReturnsTheMockedResults() throws Exception {
        DescribeExecutionResponse d = run("HappyPath", "happy");
        assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        JsonNode out = MAPPER.readTree(d.output());
        assertThat(out.path("lambda").path("body").asText()).isEqualTo("Hello from Lambda!");
        assertThat(out.path("sqs").path("MessageId").asText()).isEqualTo("m-1");
        List<HistoryEvent> scheduled = tasks(d.executionArn(), "TaskScheduled");
        // the request the state would have sent is in the history as on AWS: the mock replaces only the answer
        assertThat(scheduled.get(1).taskScheduledEventDetails().resourceType()).isEqualTo("sqs");
        assertThat(scheduled.get(1).taskScheduledEventDetails().resource()).isEqualTo("sendMessage");
        assertThat(MAPPER.readTree(scheduled.get(1).taskScheduledEventDetails().parameters()).path("MessageBody").asText())
                .isEqualTo("Hello from Lambda!");
        assertThat(tasks(d.executionArn(), "TaskSucceeded").get(0).taskSucceededEventDetails().output())
                .isEqualTo("{\"StatusCode\":200,\"Payload\":{\"StatusCode\":200,\"body\":\"Hello from Lambda!\"}}");
    }

    @Test
    void retriesAreCallsAndTakeTheResponsesOfTheirRange() throws Exception {
        long t0 = System.nanoTime();
        DescribeExecutionResponse d = run("RetryPath", "retried");
        assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(MAPPER.readTree(d.output()).path("lambda").path("body").asText()).isEqualTo("third time lucky");
        assertThat(tasks(d.executionArn(), "TaskFailed")).extracting(e -> e.taskFailedEventDetails().error()).containsExactly(
                "Lambda.ResourceNotReadyException", "Lambda.TimeoutException", "Lambda.TimeoutException");
        // 4 calls of the Lambda state (1 + 3 retries) and 1 of SQS
        assertThat(tasks(d.executionArn(), "TaskScheduled")).hasSize(5);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(3_000);
    }

    @Test
    void aThrowIsCaughtByCatch() throws Exception {
        DescribeExecutionResponse d = run("CatchPath", "caught");
        assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        JsonNode out = MAPPER.readTree(d.output());
        assertThat(out.path("error").path("Error").asText()).isEqualTo("Lambda.ServiceException");
        assertThat(out.path("error").path("Cause").asText()).isEqualTo("broken");
        assertThat(history(sfn, d.executionArn())).extracting(e -> e.typeAsString())
                .contains("PassStateEntered").doesNotContain("TaskSucceeded");
    }

    @Test
    void aCallNoEntryCoversFailsTheStateWithStatesRuntime() {
        // States.Runtime is not caught by States.ALL (as on AWS): the execution fails
        DescribeExecutionResponse d = run("RunsOut", "runs-out");
        assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(d.error()).isEqualTo("States.Runtime");
        assertThat(d.cause()).isEqualTo("The mocked response 'MockedLambdaNotReadyOnce' of state 'LambdaState' has no entry for invocation 1");
    }

    @Test
    void unmockedStatesRunAsUsual() {
        // HybridPath mocks SQS only: the Lambda state reaches the engine's integrations, which have no Lambda
        DescribeExecutionResponse d = run("HybridPath", "hybrid");
        assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(d.cause()).contains("is not available in the local Step Functions engine");
        // and without a test case nothing is mocked
        String plain = sfn.startExecution(b -> b.stateMachineArn(machine).input("{}")).executionArn();
        assertThat(awaitEnd(sfn, plain).cause()).contains("is not available in the local Step Functions engine");
    }

    @Test
    void anUnknownTestCaseIsRefused() {
        assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(machine + "#NoSuchCase")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("The mock configuration has no test case 'NoSuchCase' for the state machine 'LambdaSQSIntegration'");
    }

    @Test
    void aRestartKeepsTheTestCaseAndItsCallCounts(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mocks.json");
        Files.writeString(file, """
                {"StateMachines":{"Twice":{"TestCases":{"Case":{"Call":"Answers"}}}},
                 "MockedResponses":{"Answers":{"0":{"Return":"first"},"1":{"Return":"second"}}}}""");
        Path data = dir.resolve("data");
        ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
        String exec;
        try (StepFunctionsEmulator first = StepFunctionsEmulator.builder().dataDir(data).clock(clock).mockConfig(file).build()) {
            first.start();
            try (SfnClient c = SfnTestSupport.client(first)) {
                String m = createMachine(c, "Twice", """
                        {"StartAt":"Call","States":{
                          "Call":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","ResultPath":"$.last","Next":"Seen"},
                          "Seen":{"Type":"Choice","Choices":[{"Variable":"$.last","StringEquals":"second","Next":"Done"}],"Default":"Wait"},
                          "Wait":{"Type":"Wait","Seconds":3600,"Next":"Call"},
                          "Done":{"Type":"Succeed"}}}""");
                exec = c.startExecution(b -> b.stateMachineArn(m + "#Case").name("restarted")).executionArn();
                await().until(() -> history(c, exec).stream().anyMatch(e -> e.typeAsString().equals("WaitStateEntered")));
            }
        }
        try (StepFunctionsEmulator second = StepFunctionsEmulator.builder().dataDir(data).clock(clock).mockConfig(file).build()) {
            second.start();
            try (SfnClient c = SfnTestSupport.client(second)) {
                clock.advance(Duration.ofHours(1));
                DescribeExecutionResponse d = awaitEnd(c, exec);
                // call 1 after the restart: "second", not "first" again
                assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
                assertThat(MAPPER.readTree(d.output()).path("last").asText()).isEqualTo("second");
            }
        }
    }

    @Test
    void malformedFilesAreRefusedWhenLoaded() {
        assertThatThrownBy(() -> MockConfig.parse("{\"MockedResponses\":{\"R\":{\"first\":{\"Return\":1}}}}"))
                .hasMessageContaining("MockedResponses.R.first: a key is a call number (\"0\") or a range (\"1-2\")");
        assertThatThrownBy(() -> MockConfig.parse("{\"MockedResponses\":{\"R\":{\"0\":{\"Return\":1,\"Throw\":{\"Error\":\"E\"}}}}}"))
                .hasMessageContaining("MockedResponses.R.0 must have exactly one of Return and Throw");
        assertThatThrownBy(() -> MockConfig.parse("{\"StateMachines\":{\"M\":{\"TestCases\":{\"C\":{\"S\":7}}}}}"))
                .hasMessageContaining("StateMachines.M.TestCases.C.S must name a mocked response");
        MockConfig ok = MockConfig.parse(MOCKS);
        assertThat(ok.testCase("LambdaSQSIntegration", "RetryPath").answer("LambdaState", 2).error()).isEqualTo("Lambda.TimeoutException");
        assertThat(ok.testCase("LambdaSQSIntegration", "RetryPath").answer("LambdaState", 3).result().path("StatusCode").asInt()).isEqualTo(200);
    }
}
