package io.cqrsworkers.localaws.stepfunctions;

import io.cqrsworkers.localaws.stepfunctions.core.SfnException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.InvalidDefinitionException;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;
import software.amazon.awssdk.services.sfn.model.ListExecutionsResponse;
import software.amazon.awssdk.services.sfn.model.StateMachineAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;

import java.util.List;

import static io.cqrsworkers.localaws.stepfunctions.SfnTestSupport.awaitEnd;
import static io.cqrsworkers.localaws.stepfunctions.SfnTestSupport.createMachine;
import static io.cqrsworkers.localaws.stepfunctions.SfnTestSupport.history;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The API actions and their AWS errors through the real SDK client. */
class StepFunctionsApiTest {
    private static final String PASS = """
            {"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"x":1},"ResultPath":"$.a","Next":"B"},
             "B":{"Type":"Pass","End":true}}}""";
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

    /**
     * Names of machines, executions and activities: 1 to 80 characters (Developer Guide, service quotas). 80 is
     * accepted; 81 is a ValidationException naming the model's length constraint, as AWS answers StartExecution
     * (recorded in wolfeidau/buildkite-serverless-agent#37: "1 validation error detected: Value 'xxx' at 'name'
     * failed to satisfy constraint: Member must have length less than or equal to 80") and the same 1-80 constraint
     * on an alias name (LocalStack's recorded test_sfn_api_aliasing test_error_create_alias_invalid_name); an empty
     * name breaks the model's other bound, "greater than or equal to 1".
     */
    @Test
    void namesOfOneToEightyCharacters() {
        String n80 = "n".repeat(80);
        String arn = createMachine(sfn, n80, PASS);
        assertThat(arn).endsWith(":" + n80);
        assertThat(sfn.startExecution(b -> b.stateMachineArn(arn).name("e".repeat(80))).executionArn()).endsWith(":" + "e".repeat(80));
        assertThat(sfn.startExecution(b -> b.stateMachineArn(arn).name("x")).executionArn()).endsWith(":x");
        assertThatThrownBy(() -> createMachine(sfn, "n".repeat(81), PASS))
                .isInstanceOf(software.amazon.awssdk.services.sfn.model.SfnException.class)
                .hasMessageStartingWith("1 validation error detected: Value '" + "n".repeat(81)
                        + "' at 'name' failed to satisfy constraint: Member must have length less than or equal to 80")
                .satisfies(e -> assertThat(((software.amazon.awssdk.services.sfn.model.SfnException) e).awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
        assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(arn).name("e".repeat(81))))
                .hasMessageStartingWith("1 validation error detected: Value '" + "e".repeat(81) + "' at 'name' failed to "
                        + "satisfy constraint: Member must have length less than or equal to 80");
        String empty = "1 validation error detected: Value '' at 'name' failed to satisfy constraint: Member must have "
                + "length greater than or equal to 1";
        assertThatThrownBy(() -> createMachine(sfn, "", PASS)).hasMessageStartingWith(empty);
        assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(arn).name(""))).hasMessageStartingWith(empty);
        assertThat(sfn.createActivity(b -> b.name("a".repeat(80))).activityArn()).endsWith(":activity:" + "a".repeat(80));
        assertThatThrownBy(() -> sfn.createActivity(b -> b.name("a".repeat(81))))
                .hasMessageStartingWith("1 validation error detected: Value '" + "a".repeat(81) + "' at 'name'");
    }

    @Test
    void createDescribeListUpdateDelete() {
        String arn = createMachine(sfn, "crud", PASS);
        assertThat(arn).isEqualTo("arn:aws:states:us-east-1:000000000000:stateMachine:crud");
        assertThat(createMachine(sfn, "crud", PASS)).isEqualTo(arn);
        assertThatThrownBy(() -> createMachine(sfn, "crud", PASS.replace("\"x\":1", "\"x\":2")))
                .isInstanceOf(StateMachineAlreadyExistsException.class)
                .hasMessageContaining("State Machine Already Exists: '" + arn + "'");
        assertThat(sfn.describeStateMachine(b -> b.stateMachineArn(arn)).definition()).isEqualTo(PASS);
        assertThat(sfn.listStateMachines().stateMachines()).anyMatch(m -> m.stateMachineArn().equals(arn));
        sfn.updateStateMachine(b -> b.stateMachineArn(arn).definition(PASS.replace("\"x\":1", "\"x\":3")));
        assertThat(sfn.describeStateMachine(b -> b.stateMachineArn(arn)).definition()).contains("\"x\":3");
        sfn.deleteStateMachine(b -> b.stateMachineArn(arn));
        assertThatThrownBy(() -> sfn.describeStateMachine(b -> b.stateMachineArn(arn)))
                .isInstanceOf(StateMachineDoesNotExistException.class)
                .hasMessageContaining("State Machine Does Not Exist: '" + arn + "'");
    }

    @Test
    void rejectsBadDefinitionsAndNames() {
        assertThatThrownBy(() -> createMachine(sfn, "bad", """
                {"StartAt":"A","States":{"A":{"Type":"Pass","Next":"X"}}}"""))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining("MISSING_TRANSITION_TARGET: Missing 'Next' target: X at /States/A/Next, MISSING_END_STATE: Workflow has no terminal state at null'");
        assertThatThrownBy(() -> createMachine(sfn, "bad", "{not json"))
                .isInstanceOf(InvalidDefinitionException.class).hasMessageContaining("INVALID_JSON_DESCRIPTION");
        assertThatThrownBy(() -> createMachine(sfn, "bad name", PASS)).isInstanceOf(InvalidNameException.class)
                .hasMessageContaining("Invalid Name: 'bad name'");
        assertThatThrownBy(() -> sfn.describeStateMachine(b -> b.stateMachineArn("arn:aws:states:us-east-1:000000000000:execution:x:y")))
                .isInstanceOf(InvalidArnException.class)
                .hasMessageContaining("Invalid Arn: 'Resource type not valid in this context: execution'");
    }

    @Test
    void runsAndDescribesAnExecutionWithItsHistory() {
        String arn = createMachine(sfn, "run", PASS);
        String exec = sfn.startExecution(b -> b.stateMachineArn(arn).name("e1").input("{\"in\":true}")).executionArn();
        assertThat(exec).isEqualTo("arn:aws:states:us-east-1:000000000000:execution:run:e1");
        DescribeExecutionResponse d = awaitEnd(sfn, exec);
        assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(d.output()).isEqualTo("{\"in\":true,\"a\":{\"x\":1}}");
        List<HistoryEvent> events = history(sfn, exec);
        assertThat(events).extracting(HistoryEvent::type).containsExactly(
                HistoryEventType.EXECUTION_STARTED, HistoryEventType.PASS_STATE_ENTERED, HistoryEventType.PASS_STATE_EXITED,
                HistoryEventType.PASS_STATE_ENTERED, HistoryEventType.PASS_STATE_EXITED, HistoryEventType.EXECUTION_SUCCEEDED);
        assertThat(events).extracting(HistoryEvent::id).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(events).extracting(HistoryEvent::previousEventId).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(events.get(1).stateEnteredEventDetails().name()).isEqualTo("A");
        assertThat(events.get(2).stateExitedEventDetails().output()).isEqualTo("{\"in\":true,\"a\":{\"x\":1}}");
        List<HistoryEvent> reversed = sfn.getExecutionHistory(b -> b.executionArn(exec).reverseOrder(true).maxResults(2)).events();
        assertThat(reversed).extracting(HistoryEvent::id).containsExactly(6L, 5L);
    }

    @Test
    void startIsIdempotentOnNameAndInput() {
        String arn = createMachine(sfn, "idem", """
                {"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":100,"End":true}}}""");
        String first = sfn.startExecution(b -> b.stateMachineArn(arn).name("same").input("{}")).executionArn();
        assertThat(sfn.startExecution(b -> b.stateMachineArn(arn).name("same").input("{}")).executionArn()).isEqualTo(first);
        assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(arn).name("same").input("{\"a\":1}")))
                .isInstanceOf(ExecutionAlreadyExistsException.class)
                .hasMessageContaining("Execution Already Exists: '" + first + "'");
        sfn.stopExecution(b -> b.executionArn(first).error("E").cause("C"));
        DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(first));
        assertThat(d.status()).isEqualTo(ExecutionStatus.ABORTED);
        assertThat(history(sfn, first)).extracting(HistoryEvent::type).endsWith(HistoryEventType.EXECUTION_ABORTED);
    }

    @Test
    void listsExecutionsWithFilterAndPages() {
        String arn = createMachine(sfn, "list", PASS);
        for (int i = 0; i < 5; i++) {
            String name = "x" + i;
            awaitEnd(sfn, sfn.startExecution(b -> b.stateMachineArn(arn).name(name)).executionArn());
        }
        ListExecutionsResponse page = sfn.listExecutions(b -> b.stateMachineArn(arn).maxResults(2));
        assertThat(page.executions()).hasSize(2);
        assertThat(page.executions().get(0).name()).isEqualTo("x4");
        assertThat(page.nextToken()).isNotNull();
        assertThat(sfn.listExecutionsPaginator(b -> b.stateMachineArn(arn).maxResults(2)).executions().stream().count()).isEqualTo(5);
        assertThat(sfn.listExecutions(b -> b.stateMachineArn(arn).statusFilter(ExecutionStatus.FAILED)).executions()).isEmpty();
        assertThatThrownBy(() -> sfn.describeExecution(b -> b.executionArn("arn:aws:states:us-east-1:000000000000:execution:list:nope")))
                .isInstanceOf(ExecutionDoesNotExistException.class);
    }
}
