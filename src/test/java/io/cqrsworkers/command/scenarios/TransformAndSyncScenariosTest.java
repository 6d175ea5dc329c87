package io.cqrsworkers.command.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.config.AppConfiguration;
import io.cqrsworkers.json.Jackson;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reference scenarios 6 ({@code transform_data}), 7 and 8 ({@code sync_data}). The module's sync handlers are the
 * default one (writes the read model) and {@value #ECHO}, a handler of this test that replies what it received.
 * <p>
 * Differences from the original, as documented: a sync handler is a Camel endpoint named by its URI (the item's
 * {@code result}), not a class name; a module with no handler configured gets the default one, so the handler list
 * is never empty and the original's "empty list" warning has no counterpart here. The alarm goes to the alarm queue.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class,
        properties = "app.modules.sample.sync-handlers=direct:sync-data-dynamodb," + TransformAndSyncScenariosTest.ECHO)
class TransformAndSyncScenariosTest extends ScenarioSupport {

    static final String ECHO = "direct:scenario-sync-echo";
    private boolean echoAdded;

    /** The custom sync handler: replies the command and module it was given. */
    public static final class EchoHandler {
        public Map<String, Object> echo(@Body Map<String, Object> command, @Header("CqrsModule") String module) {
            Map<String, Object> reply = new LinkedHashMap<>();
            reply.put("handler", "echo");
            reply.put("module", module);
            reply.put("command", command);
            return reply;
        }
    }

    @BeforeEach
    void addTheEchoHandler() throws Exception {
        if (!echoAdded) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(ECHO).routeId("scenario-sync-echo").bean(new EchoHandler(), "echo");
                }
            });
            echoAdded = true;
        }
    }

    /** 6: one item per handler, in the configured order. */
    @Test
    void oneItemPerSyncHandler() throws Exception {
        ObjectNode v1 = command("TD#" + unique("t1"), "ITEM", 1);
        putCommandRow(v1);

        JsonNode output = output(runStep(stepEvent("transform_data", v1,
                Jackson.MAPPER.createObjectNode().put("result", "ok"), "token-td")));

        assertThat(output).isEqualTo(Jackson.MAPPER.readTree("[{\"prevStateName\":\"transform_data\","
                + "\"result\":\"direct:sync-data-dynamodb\"},{\"prevStateName\":\"transform_data\",\"result\":\""
                + ECHO + "\"}]"));
        assertThat(status(v1)).isEqualTo("transform_data:FINISHED");
    }

    /** 7: an item without {@code result} names no handler: the step fails, recorded and alarmed. */
    @Test
    void anItemWithoutAHandlerFailsTheStep() throws Exception {
        assertSyncFails(Jackson.MAPPER.createObjectNode().put("prevStateName", "transform_data"),
                "SyncDataHandler not found!");
    }

    /** 7: an item naming a handler the module does not have: the step fails, recorded and alarmed. */
    @Test
    void anItemWithAnUnknownHandlerFailsTheStep() throws Exception {
        assertSyncFails(Jackson.MAPPER.createObjectNode().put("prevStateName", "transform_data")
                .put("result", "direct:no-such-handler"), "SyncDataHandler empty!");
    }

    private void assertSyncFails(JsonNode item, String error) {
        String pk = "SD#" + unique("t1");
        ObjectNode v1 = command(pk, "ITEM", 1);
        putCommandRow(v1);

        Exchange reply = runStep(stepEvent("sync_data", v1, item, "token-sd-fail"));

        assertThat(reply.getException()).as("the step fails").isNotNull().hasMessageContaining(error);
        assertThat(status(v1)).isEqualTo("sync_data:FAILED");
        assertThat(statusNotifications(v1, 2)).containsExactlyInAnyOrder("sync_data:STARTED", "sync_data:FAILED");
        List<JsonNode> alarms = alarmsAbout(pk, 1);
        assertThat(alarms).hasSize(1);
        assertThat(alarms.get(0).path("content").path("errorMessage").asText()).contains(error);
        assertThat(item(table("data"), pk, "ITEM")).as("no handler ran").isEmpty();
    }

    /**
     * 8: the handler gets the command of the execution input's NewImage, its attributes read back from S3, and its
     * reply is the step's output as it is.
     */
    @Test
    void aSyncHandlersReplyIsTheStepsOutput() throws Exception {
        String pk = "SD#" + unique("t1");
        String bucket = context.resolvePropertyPlaceholders("{{bucket:bucket}}");
        String key = "ddb/" + table("command") + "/" + pk + "/ITEM@1/scenario.json";
        ObjectNode attributes = Jackson.MAPPER.createObjectNode().put("large", "x".repeat(1000)).put("n", 8);
        aws.s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(attributes.toString()));
        ObjectNode v1 = (ObjectNode) command(pk, "ITEM", 1).put("attributes", "s3://" + bucket + "/" + key);
        putCommandRow(v1);

        JsonNode output = output(runStep(stepEvent("sync_data", v1,
                Jackson.MAPPER.createObjectNode().put("prevStateName", "transform_data").put("result", ECHO),
                "token-sd")));

        ObjectNode expectedCommand = v1.deepCopy();
        expectedCommand.set("attributes", attributes);
        assertThat(output.path("handler").asText()).isEqualTo("echo");
        assertThat(output.path("module").asText()).isEqualTo(MODULE);
        assertThat(normal(output.path("command"))).isEqualTo(normal(expectedCommand));
        assertThat(output.size()).as("nothing added to the reply").isEqualTo(3);
        assertThat(status(v1)).isEqualTo("sync_data:FINISHED");
    }

    /** 8: the default handler's reply is the data record it wrote. */
    @Test
    void theDefaultHandlerRepliesTheDataRecord() throws Exception {
        String pk = "SD#" + unique("t1");
        ObjectNode v1 = command(pk, "ITEM", 1);
        putCommandRow(v1);

        JsonNode output = output(runStep(stepEvent("sync_data", v1, Jackson.MAPPER.createObjectNode()
                .put("prevStateName", "transform_data").put("result", "direct:sync-data-dynamodb"), "token-sd2")));

        assertThat(normal(output)).isEqualTo(normal(item(table("data"), pk, "ITEM").orElseThrow()));
        assertThat(output.path("csk").asText()).isEqualTo("ITEM@1");
    }
}
