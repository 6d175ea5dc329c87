package io.cqrsworkers.command.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.config.AppConfiguration;
import io.cqrsworkers.json.Jackson;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reference scenarios 4 ({@code set_ttl_command}) and 5 ({@code history_copy}).
 * <p>
 * Differences from the original, as documented or visible in the steps: the previous version's ttl is changed with
 * one conditional UpdateItem (SET, or REMOVE when no setting exists: the original's PutItem with {@code ttl: null}
 * leaves the same row), and a TTL setting read is cached for a while per tenant and table (each test here uses a
 * tenant of its own, so every setting is read fresh).
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
class TtlAndHistoryScenariosTest extends ScenarioSupport {

    private static final JsonNode OK = Jackson.MAPPER.createObjectNode().put("result", "ok");

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    /** 4: on v1 there is no previous version: nothing is read or written besides the step's own status. */
    @Test
    void theFirstVersionTouchesNoPreviousVersion() throws Exception {
        String tenant = unique("ttl");
        String pk = "TTL#" + tenant;
        ttlSetting(tenant, "command", 30);
        ObjectNode v1 = command(pk, "ITEM", 1);
        putCommandRow(v1);
        // a row where "version 0" would be: a write to it would change its ttl
        putCommandRow((ObjectNode) command(pk, "ITEM", 0).put("ttl", 123));

        JsonNode output = output(runStep(stepEvent("set_ttl_command", v1, OK, "token-ttl1")));

        assertThat(output).isEqualTo(OK);
        assertThat(item(table("command"), pk, "ITEM@0").orElseThrow().path("ttl").asLong()).isEqualTo(123);
        assertThat(item(table("command"), pk, "ITEM@1").orElseThrow().has("ttl")).isFalse();
        assertThat(status(v1)).isEqualTo("set_ttl_command:FINISHED");
    }

    /** 4: on v2 with a command-table setting of 30 days, the v1 row expires 30 days from now. */
    @Test
    void thePreviousVersionExpiresAfterTheCommandTtl() throws Exception {
        String tenant = unique("ttl");
        String pk = "TTL#" + tenant;
        ttlSetting(tenant, "command", 30);
        ObjectNode v1 = command(pk, "ITEM", 1);
        putCommandRow(v1);
        ObjectNode v2 = command(pk, "ITEM", 2);
        putCommandRow(v2);

        long before = now();
        JsonNode output = output(runStep(stepEvent("set_ttl_command", v2, OK, "token-ttl2")));

        assertThat(output).isEqualTo(OK);
        ObjectNode previous = item(table("command"), pk, "ITEM@1").orElseThrow();
        assertThat(previous.path("ttl").asLong()).isBetween(before + 30 * 86_400L, now() + 30 * 86_400L);
        assertThat(previous.path("name").asText()).as("the rest of the row is kept").isEqualTo("scenario v1");
        assertThat(item(table("command"), pk, "ITEM@2").orElseThrow().has("ttl")).isFalse();
    }

    /** 4: with no setting the previous version's ttl becomes null (removed), also one it had before. */
    @Test
    void withoutASettingThePreviousVersionLosesItsTtl() throws Exception {
        String pk = "TTL#" + unique("ttl");
        ObjectNode v1 = (ObjectNode) command(pk, "ITEM", 1).put("ttl", now() + 3600);
        putCommandRow(v1);
        ObjectNode v2 = command(pk, "ITEM", 2);
        putCommandRow(v2);

        assertThat(output(runStep(stepEvent("set_ttl_command", v2, OK, "token-ttl3")))).isEqualTo(OK);

        ObjectNode previous = item(table("command"), pk, "ITEM@1").orElseThrow();
        assertThat(previous.path("ttl").isMissingNode() || previous.path("ttl").isNull()).as(previous.toString())
                .isTrue();
    }

    /** 5: the data row {sk X, version 1} is copied to history as X@1 with the history TTL of its tenant. */
    @Test
    void theDataRecordIsCopiedToHistoryWithTheHistoryTtl() throws Exception {
        String tenant = unique("hist");
        String pk = "HIST#" + tenant;
        ttlSetting(tenant, "history", 7);
        ObjectNode data = (ObjectNode) command(pk, "X", 1).put("sk", "X").put("cpk", pk).put("csk", "X@1");
        putItem(table("data"), data);
        ObjectNode v2 = command(pk, "X", 2);
        putCommandRow(v2);

        long before = now();
        assertThat(output(runStep(stepEvent("history_copy", v2, OK, "token-h1")))).isEqualTo(OK);

        ObjectNode history = item(table("history"), pk, "X@1").orElseThrow();
        assertThat(history.path("version").asLong()).isEqualTo(1);
        assertThat(history.path("name").asText()).isEqualTo("scenario v1");
        assertThat(history.path("ttl").asLong()).isBetween(before + 7 * 86_400L, now() + 7 * 86_400L);
        assertThat(status(v2)).isEqualTo("history_copy:FINISHED");
    }

    /**
     * 5: the tenant of the TTL setting is the last segment of pk ({@code MASTER#<tenant-from-last-pk-segment>}),
     * here a pk of three segments whose record names another tenantCode.
     */
    @Test
    void theHistoryTtlIsTheOneOfTheTenantInThePk() throws Exception {
        String tenant = unique("hist");
        String pk = "HIST#GROUP#" + tenant;
        ttlSetting(tenant, "history", 7);
        ObjectNode data = (ObjectNode) command(pk, "X", 1).put("sk", "X").put("tenantCode", "another-tenant");
        putItem(table("data"), data);
        ObjectNode v2 = (ObjectNode) command(pk, "X", 2).put("tenantCode", "another-tenant");
        putCommandRow(v2);

        long before = now();
        assertThat(output(runStep(stepEvent("history_copy", v2, OK, "token-h2")))).isEqualTo(OK);

        assertThat(item(table("history"), pk, "X@1").orElseThrow().path("ttl").asLong())
                .isBetween(before + 7 * 86_400L, now() + 7 * 86_400L);
    }

    /** 5: no data row: nothing is put to history, and the step still returns ok. */
    @Test
    void withoutADataRecordNothingIsCopied() throws Exception {
        String pk = "HIST#" + unique("hist");
        ObjectNode v1 = command(pk, "X", 1);
        putCommandRow(v1);

        assertThat(output(runStep(stepEvent("history_copy", v1, OK, "token-h3")))).isEqualTo(OK);

        assertThat(aws.dynamoDb().query(b -> b.tableName(table("history")).consistentRead(true)
                .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk))))
                .items()).isEmpty();
        assertThat(status(v1)).isEqualTo("history_copy:FINISHED");
    }
}
