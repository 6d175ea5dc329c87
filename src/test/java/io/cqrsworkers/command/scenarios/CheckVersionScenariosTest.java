package io.cqrsworkers.command.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.config.AppConfiguration;
import io.cqrsworkers.json.Jackson;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reference scenarios 1-3: {@code check_version}.
 * <p>
 * Differences from the original, as documented: the reads are consistent; the alarm goes to the alarm queue (not
 * SNS) and the two status notifications to the notification queue, sent in the background, so the original's
 * "three publishes in order" becomes: the alarm is raised inside the step, so it reaches its queue no later than the
 * FINISHED notification reaches its own (asserted); the STARTED notification, sent in the background, may reach its
 * queue before or after the alarm.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
class CheckVersionScenariosTest extends ScenarioSupport {

    private static final JsonNode NO_INPUT = Jackson.MAPPER.createObjectNode();

    /** 1: v1, no data row, no v0 command: apply now. */
    @Test
    void theFirstVersionIsAppliedAtOnce() throws Exception {
        String pk = "CV#" + unique("t1");
        ObjectNode v1 = command(pk, "ITEM", 1);
        putCommandRow(v1);
        // a data row under the versioned key would say "behind" (-1) if the step read that key: it reads {pk, skBase}
        putItem(table("data"), (ObjectNode) command(pk, "ITEM", 5).put("sk", "ITEM@1"));

        JsonNode output = output(runStep(stepEvent("check_version", v1, NO_INPUT, "token-cv1")));

        assertThat(output).isEqualTo(Jackson.MAPPER.readTree("{\"result\":0}"));
        assertThat(status(v1)).isEqualTo("check_version:FINISHED");
        assertThat(statusNotifications(v1, 2))
                .containsExactlyInAnyOrder("check_version:STARTED", "check_version:FINISHED");
        assertThat(alarmsAbout(pk, 0)).isEmpty();
    }

    /** 2: data.version = -1, so next = 0 < 1, and the predecessor's key holds a row: wait for it. */
    @Test
    void aVersionAheadOfTheReadModelWaitsForItsPredecessor() throws Exception {
        String pk = "CV#" + unique("t1");
        ObjectNode v1 = command(pk, "ITEM", 1);
        putCommandRow(v1);
        putCommandRow(command(pk, "ITEM", 0));
        putItem(table("data"), (ObjectNode) command(pk, "ITEM", -1).put("sk", "ITEM"));

        JsonNode output = output(runStep(stepEvent("check_version", v1, NO_INPUT, "token-cv2")));

        assertThat(output).isEqualTo(Jackson.MAPPER.readTree("{\"result\":1}"));
        assertThat(status(v1)).isEqualTo("check_version:FINISHED");
    }

    /** 3: data.version = 1 and the command is v1: behind the read model; an alarm, no exception. */
    @Test
    void aVersionBehindTheReadModelIsRefusedWithAnAlarm() throws Exception {
        String pk = "CV#" + unique("t1");
        ObjectNode v1 = command(pk, "ITEM", 1);
        putCommandRow(v1);
        putItem(table("data"), (ObjectNode) command(pk, "ITEM", 1).put("sk", "ITEM"));

        JsonNode output = output(runStep(stepEvent("check_version", v1, NO_INPUT, "token-cv3")));

        assertThat(output).isEqualTo(Jackson.MAPPER.readTree(
                "{\"result\":-1,\"error\":\"version is not match\",\"cause\":\"next version must be 2 but got 1\"}"));
        assertThat(status(v1)).isEqualTo("check_version:FINISHED");
        List<JsonNode> statuses = statusMessages(v1, 2);
        assertThat(statuses).extracting(m -> m.path("content").path("status").asText())
                .containsExactlyInAnyOrder("check_version:STARTED", "check_version:FINISHED");
        List<JsonNode> alarms = alarmsAbout(pk, 1);
        assertThat(alarms).hasSize(1);
        JsonNode finished = statuses.stream()
                .filter(m -> m.path("content").path("status").asText().equals("check_version:FINISHED")).findFirst()
                .orElseThrow();
        assertThat(this.alarms.sentAt(alarms.get(0))).as("the alarm is raised before FINISHED is recorded")
                .isLessThanOrEqualTo(notifications.sentAt(finished));
        assertThat(alarms.get(0).path("sk").asText()).isEqualTo("ITEM@1");
        assertThat(alarms.get(0).path("content").path("errorMessage").asText())
                .contains("next version must be 2 but got 1");
    }
}
