package io.cqrsworkers.command.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.config.AppConfiguration;
import io.cqrsworkers.json.Jackson;
import io.cqrsworkers.callback.TaskCallbacks;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apache.camel.test.main.junit5.ReplaceInRegistry;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.GetActivityTaskResponse;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reference scenarios 9 and 10 ({@code finish}, the push-side resume) and 11 ({@code wait_prev_command}, the
 * token and the self-resume). A waiting version is stood for by a real waiting execution of the embedded Step
 * Functions (an activity task of a one-state machine of this test), so a resume is seen as that execution's output,
 * and "nothing was sent" by answering its token afterwards: that succeeds only if the step left it open.
 * <p>
 * Differences from the original, as documented: the resume output has no {@code {"Payload":[[...]]}} wrapper (worker
 * steps are not Lambda invocations); the alarms go to the alarm queue; {@code finish} raises no
 * {@code push_resume_failed} alarm for TaskTimedOut when the next version has already gone past its wait (it resumed
 * itself first).
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
class ResumeScenariosTest extends ScenarioSupport {

    private static final JsonNode RESUMED_BY_V1 = Jackson.MAPPER.createObjectNode()
            .put("result", "resumed_by_prev_version").put("prevVersion", 1);
    private static final JsonNode PROBE = Jackson.MAPPER.createObjectNode().put("probe", true);

    private String activityArn;

    /** Replaces the registry's callbacks before the routes start (see {@link #accessDeniedRaisesPushResumeFailed}). */
    @ReplaceInRegistry
    TaskCallbacks taskCallbacks() {
        return DenyingTaskCallbacks.over(aws.sfn());
    }
    private String machineArn;

    /** A waiting execution and its task token. */
    private record Waiting(String executionArn, String token) {
    }

    private Waiting waiting() {
        if (activityArn == null) {
            String name = unique("scenario-waiter");
            activityArn = aws.sfn().createActivity(b -> b.name(name)).activityArn();
            String definition = "{\"StartAt\":\"wait\",\"States\":{\"wait\":{\"Type\":\"Task\",\"Resource\":\""
                    + activityArn + "\",\"End\":true}}}";
            machineArn = aws.sfn().createStateMachine(b -> b.name(name).definition(definition)
                    .roleArn("arn:aws:iam::000000000000:role/scenario")).stateMachineArn();
        }
        String id = UUID.randomUUID().toString();
        String executionArn = aws.sfn().startExecution(b -> b.stateMachineArn(machineArn).name(id)
                .input("{\"id\":\"" + id + "\"}")).executionArn();
        GetActivityTaskResponse task = await().atMost(Duration.ofSeconds(20)).until(
                () -> aws.sfn().getActivityTask(b -> b.activityArn(activityArn).workerName("scenario")),
                t -> t.taskToken() != null);
        assertThat(task.input()).contains(id);
        return new Waiting(executionArn, task.taskToken());
    }

    private JsonNode outputOf(Waiting waiting) throws Exception {
        DescribeExecutionResponse done = await().atMost(Duration.ofSeconds(20)).until(
                () -> aws.sfn().describeExecution(b -> b.executionArn(waiting.executionArn())),
                d -> !"RUNNING".equals(d.statusAsString()));
        assertThat(done.statusAsString()).isEqualTo("SUCCEEDED");
        return Jackson.MAPPER.readTree(done.output());
    }

    /** Shows that the step left the token open: answering it now is what ends the execution. */
    private void assertStillWaiting(Waiting waiting) throws Exception {
        aws.sfn().sendTaskSuccess(b -> b.taskToken(waiting.token()).output(PROBE.toString()));
        assertThat(outputOf(waiting)).isEqualTo(PROBE);
    }

    private ObjectNode withToken(ObjectNode command, String token) {
        return command.put("taskToken", token);
    }

    // ---- 9: finish, push-side resume ----

    /** 9: the next version waits with its token stored: finish resumes it with prevVersion 1. */
    @Test
    void finishResumesTheNextVersion() throws Exception {
        String pk = "FIN#" + unique("t1");
        Waiting next = waiting();
        ObjectNode v1 = command(pk, "ITEM", 1);
        putCommandRow(v1);
        putCommandRow(withToken((ObjectNode) command(pk, "ITEM", 2).put("status", "wait_prev_command:STARTED"),
                next.token()));

        JsonNode output = output(runStep(stepEvent("finish", v1, Jackson.MAPPER.createArrayNode(), "token-fin1")));

        assertThat(output.isNull()).as("finish returns null").isTrue();
        assertThat(outputOf(next)).isEqualTo(RESUMED_BY_V1);
        assertThat(status(v1)).isEqualTo("finish:FINISHED");
    }

    /** 9: no next version: nothing is sent (a token stored two versions ahead is left alone). */
    @Test
    void finishWithoutANextVersionSendsNothing() throws Exception {
        String pk = "FIN#" + unique("t1");
        Waiting later = waiting();
        ObjectNode v1 = command(pk, "ITEM", 1);
        putCommandRow(v1);
        putCommandRow(withToken(command(pk, "ITEM", 3), later.token()));

        output(runStep(stepEvent("finish", v1, Jackson.MAPPER.createArrayNode(), "token-fin2")));

        assertStillWaiting(later);
        assertThat(status(v1)).isEqualTo("finish:FINISHED");
        assertThat(alarmsAbout(pk, 0)).isEmpty();
    }

    /** 9: the next version has no token (it has not reached its wait): nothing is sent. */
    @Test
    void finishWithANextVersionWithoutTokenSendsNothing() throws Exception {
        String pk = "FIN#" + unique("t1");
        Waiting later = waiting();
        ObjectNode v1 = command(pk, "ITEM", 1);
        putCommandRow(v1);
        putCommandRow(command(pk, "ITEM", 2));
        putCommandRow(withToken(command(pk, "ITEM", 3), later.token()));

        output(runStep(stepEvent("finish", v1, Jackson.MAPPER.createArrayNode(), "token-fin3")));

        assertStillWaiting(later);
        assertThat(alarmsAbout(pk, 0)).isEmpty();
    }

    // ---- 10: finish, resume errors ----

    /** 10: TaskDoesNotExist is benign: a warning, no alarm, the step succeeds. */
    @Test
    void aTokenThatDoesNotExistIsOnlyAWarning() throws Exception {
        String pk = "FIN#" + unique("t1");
        ObjectNode v1 = command(pk, "ITEM", 1);
        putCommandRow(v1);
        putCommandRow(withToken(command(pk, "ITEM", 2), "AQB" + "N".repeat(64)));

        output(runStep(stepEvent("finish", v1, Jackson.MAPPER.createArrayNode(), "token-fin4")));

        assertThat(status(v1)).isEqualTo("finish:FINISHED");
        assertThat(alarmsAbout(pk, 0)).isEmpty();
    }

    /** 10: TaskTimedOut (the next version's wait is over) raises push_resume_failed; the step still succeeds. */
    @Test
    void aTimedOutTokenRaisesPushResumeFailed() throws Exception {
        String pk = "FIN#" + unique("t1");
        Waiting closed = waiting();
        aws.sfn().sendTaskSuccess(b -> b.taskToken(closed.token()).output(PROBE.toString()));
        ObjectNode v1 = command(pk, "ITEM", 1);
        putCommandRow(v1);
        putCommandRow(withToken((ObjectNode) command(pk, "ITEM", 2).put("status", "wait_prev_command:STARTED"),
                closed.token()));

        output(runStep(stepEvent("finish", v1, Jackson.MAPPER.createArrayNode(), "token-fin5")));

        assertThat(status(v1)).isEqualTo("finish:FINISHED");
        assertPushResumeFailed(pk, "TaskTimedOut");
    }

    /** 10 (the project's difference): TaskTimedOut after the next version resumed itself raises no alarm. */
    @Test
    void aTokenAnsweredByTheNextVersionsSelfResumeRaisesNoAlarm() throws Exception {
        String pk = "FIN#" + unique("t1");
        Waiting closed = waiting();
        aws.sfn().sendTaskSuccess(b -> b.taskToken(closed.token()).output(RESUMED_BY_V1.toString()));
        ObjectNode v1 = command(pk, "ITEM", 1);
        putCommandRow(v1);
        putCommandRow(withToken((ObjectNode) command(pk, "ITEM", 2).put("status", "set_ttl_command:STARTED"),
                closed.token()));

        output(runStep(stepEvent("finish", v1, Jackson.MAPPER.createArrayNode(), "token-fin6")));

        assertThat(status(v1)).isEqualTo("finish:FINISHED");
        assertThat(alarmsAbout(pk, 0)).isEmpty();
    }

    /** 10: an error other than TaskDoesNotExist (here a token Step Functions rejects) raises the alarm. */
    @Test
    void anInvalidTokenRaisesPushResumeFailed() throws Exception {
        String pk = "FIN#" + unique("t1");
        ObjectNode v1 = command(pk, "ITEM", 1);
        putCommandRow(v1);
        putCommandRow(withToken(command(pk, "ITEM", 2), "not-a-task-token"));

        output(runStep(stepEvent("finish", v1, Jackson.MAPPER.createArrayNode(), "token-fin7")));

        assertThat(status(v1)).isEqualTo("finish:FINISHED");
        assertPushResumeFailed(pk, "InvalidToken");
    }

    /**
     * 10: AccessDenied raises the alarm. The embedded Step Functions never denies, so the registry's
     * {@code taskCallbacks} is replaced by one that does ({@link DenyingTaskCallbacks}); skipped when finish does
     * not take its callbacks from the registry.
     */
    @Test
    void accessDeniedRaisesPushResumeFailed() throws Exception {
        String pk = "FIN#" + unique("t1");
        ObjectNode v1 = command(pk, "ITEM", 1);
        putCommandRow(v1);
        putCommandRow(withToken(command(pk, "ITEM", 2), DenyingTaskCallbacks.DENIED));
        int before = DenyingTaskCallbacks.denials();

        output(runStep(stepEvent("finish", v1, Jackson.MAPPER.createArrayNode(), "token-fin8")));

        Assumptions.assumeTrue(DenyingTaskCallbacks.denials() > before,
                "finish does not use the registry's taskCallbacks bean, so AccessDenied cannot be produced");
        assertThat(status(v1)).isEqualTo("finish:FINISHED");
        assertPushResumeFailed(pk, "AccessDenied");
    }

    private void assertPushResumeFailed(String pk, String error) {
        List<JsonNode> alarms = alarmsAbout(pk, 1);
        assertThat(alarms).hasSize(1);
        assertThat(alarms.get(0).path("sk").asText()).isEqualTo("ITEM@2");
        assertThat(alarms.get(0).path("content").path("errorMessage").asText())
                .contains("push_resume_failed").contains("nextVersion 2").contains(error);
    }

    // ---- 11: wait_prev_command ----

    /** 11: the predecessor is in finish (STARTED or FINISHED): the token is stored, then resumed by itself. */
    @Test
    void aVersionWhosePredecessorIsFinishingResumesItself() throws Exception {
        for (String predecessor : List.of("finish:STARTED", "finish:FINISHED")) {
            String pk = "WAIT#" + unique("t1");
            Waiting self = waiting();
            putCommandRow((ObjectNode) command(pk, "ITEM", 1).put("status", predecessor));
            ObjectNode v2 = command(pk, "ITEM", 2);
            putCommandRow(v2);

            JsonNode output = output(runStep(stepEvent("wait_prev_command", v2,
                    Jackson.MAPPER.createObjectNode().put("result", 1), self.token())));

            assertThat(output.path("result").path("token").asText()).isEqualTo(self.token());
            assertThat(item(table("command"), pk, "ITEM@2").orElseThrow().path("taskToken").asText())
                    .isEqualTo(self.token());
            assertThat(outputOf(self)).as("resumed after a predecessor in " + predecessor).isEqualTo(RESUMED_BY_V1);
        }
    }

    /** 11: a predecessor in finish:FAILED or sync_data:FINISHED does not resume it. */
    @Test
    void aVersionWhosePredecessorIsNotFinishingKeepsWaiting() throws Exception {
        for (String predecessor : List.of("finish:FAILED", "sync_data:FINISHED")) {
            String pk = "WAIT#" + unique("t1");
            Waiting self = waiting();
            putCommandRow((ObjectNode) command(pk, "ITEM", 1).put("status", predecessor));
            ObjectNode v2 = command(pk, "ITEM", 2);
            putCommandRow(v2);

            output(runStep(stepEvent("wait_prev_command", v2, Jackson.MAPPER.createObjectNode().put("result", 1),
                    self.token())));

            assertThat(item(table("command"), pk, "ITEM@2").orElseThrow().path("taskToken").asText())
                    .isEqualTo(self.token());
            assertStillWaiting(self);
        }
    }

    /** 11: v1 has no predecessor to look up (a row where "v0" would be, though finished, resumes nothing). */
    @Test
    void theFirstVersionLooksUpNoPredecessor() throws Exception {
        String pk = "WAIT#" + unique("t1");
        Waiting self = waiting();
        putCommandRow((ObjectNode) command(pk, "ITEM", 0).put("status", "finish:FINISHED"));
        ObjectNode v1 = command(pk, "ITEM", 1);
        putCommandRow(v1);

        output(runStep(stepEvent("wait_prev_command", v1, Jackson.MAPPER.createObjectNode().put("result", 1),
                self.token())));

        assertThat(item(table("command"), pk, "ITEM@1").orElseThrow().path("taskToken").asText())
                .isEqualTo(self.token());
        assertStillWaiting(self);
    }

    /**
     * 11: the predecessor cannot be read (3 attempts, 100/200 ms apart): an alarm, and the step returns normally,
     * still waiting. The read fails for real: the command's version (from its NewImage) is 100, so the predecessor's
     * sort key, {@code <base>@99}, is one byte over DynamoDB's 1024, while its own {@code <base>@2} is within it.
     */
    @Test
    void aPredecessorThatCannotBeReadRaisesAnAlarmAndTheStepReturns() throws Exception {
        String pk = "WAIT#" + unique("t1");
        String base = "B".repeat(1022);
        Waiting self = waiting();
        ObjectNode v = (ObjectNode) command(pk, base, 2).put("version", 100);
        putCommandRow(v);

        long started = System.nanoTime();
        JsonNode output = output(runStep(stepEvent("wait_prev_command", v,
                Jackson.MAPPER.createObjectNode().put("result", 1), self.token())));
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertThat(output.path("result").path("token").asText()).isEqualTo(self.token());
        assertThat(millis).as("three attempts, 100 and 200 ms apart").isGreaterThanOrEqualTo(300);
        assertThat(status(v)).isEqualTo("wait_prev_command:FINISHED");
        List<JsonNode> alarms = alarmsAbout(pk, 1);
        assertThat(alarms).hasSize(1);
        assertThat(alarms.get(0).path("content").path("errorMessage").asText())
                .contains("self_resume_predecessor_read_failed");
        assertStillWaiting(self);
        System.out.println("wait_prev_command with an unreadable predecessor took " + millis + " ms");
    }
}
