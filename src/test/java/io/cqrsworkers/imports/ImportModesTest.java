package io.cqrsworkers.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.aws.AwsClients;
import io.cqrsworkers.command.CommandModule;
import io.cqrsworkers.config.AppConfiguration;
import io.cqrsworkers.support.TestEnvironment;
import io.cqrsworkers.workflow.StepEvent;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.sync.RequestBody;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** STEP_FUNCTION mode on the embedded engine, and DIRECT mode giving the same batches and final job. */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImportModesTest {

    static {
        TestEnvironment.apply();
    }

    @BeanInject
    CamelContext context;

    @BeanInject
    AwsClients aws;

    @Test
    void bothModesGiveTheSameBatchesAndTheSameFinalJob() throws Exception {
        List<JsonNode> stepBatches = Collections.synchronizedList(new ArrayList<>());
        AdviceWith.adviceWith(context, "import-csv-rows-handler", a -> a.weaveAddFirst()
                .process(e -> stepBatches.add(e.getMessage().getBody(StepEvent.class).input().deepCopy())));

        StringBuilder csv = new StringBuilder("code,name,note\n");
        for (int i = 0; i < 230; i++) {
            csv.append("k").append(i).append(",Name ").append(i).append(",\"a, \"\"quoted\"\"\nnote\"\n");
        }
        csv.append(",no code,x\n");
        String bucket = context.resolvePropertyPlaceholders("{{bucket:bucket}}");
        aws.s3().putObject(b -> b.bucket(bucket).key("modes/rows.csv"), RequestBody.fromString(csv.toString()));
        ImportModule module = ImportModule.of(context);

        ObjectNode stepJob = module.start(new ImportRequest("STEP_FUNCTION", bucket, "modes/rows.csv", "sample",
                "sfn", null));
        String stepId = stepJob.get("id").asText();
        await().atMost(Duration.ofSeconds(40)).until(() -> List.of("COMPLETED", "FAILED")
                .contains(module.jobs().get(stepId).orElseThrow().get("status").asText()));

        ImportRequest direct = new ImportRequest("DIRECT", bucket, "modes/rows.csv", "sample", "direct", null);
        String directId = module.jobs().create(direct, ImportStatus.PROCESSING).get("id").asText();
        List<JsonNode> directBatches = new ArrayList<>();
        module.direct().run(direct.withSourceId(directId), batch -> directBatches.add(batch.json()));
        await().atMost(Duration.ofSeconds(40)).until(() ->
                !module.jobs().get(directId).orElseThrow().get("status").asText().equals("PROCESSING"));

        assertThat(items(stepBatches)).isEqualTo(items(directBatches));
        assertThat(stepBatches).extracting(b -> b.get("Items").size()).containsExactlyInAnyOrder(100, 100, 31);
        ObjectNode stepFinal = module.jobs().get(stepId).orElseThrow();
        ObjectNode directFinal = module.jobs().get(directId).orElseThrow();
        for (String field : List.of("status", "totalRows", "processedRows", "succeededRows", "failedRows", "result")) {
            assertThat(stepFinal.get(field)).as(field).isEqualTo(directFinal.get(field));
        }
        assertThat(stepFinal.get("status").asText()).isEqualTo("FAILED");
        assertThat(stepFinal.get("failedRows").asLong()).isEqualTo(1);
        assertThat(stepFinal.get("succeededRows").asLong()).isEqualTo(230);
        assertThat(stepBatches.get(0).at("/BatchInput/Attributes/sourceId").asText()).isEqualTo(stepId);
    }

    @Test
    void aMissingObjectFailsTheStepFunctionJobWithTheReadersError() {
        String bucket = context.resolvePropertyPlaceholders("{{bucket:bucket}}");
        ImportModule module = ImportModule.of(context);
        String id = module.start(new ImportRequest("STEP_FUNCTION", bucket, "modes/missing.csv", "sample", "sfn2",
                null)).get("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> List.of("COMPLETED", "FAILED")
                .contains(module.jobs().get(id).orElseThrow().get("status").asText()));
        JsonNode job = module.jobs().get(id).orElseThrow();
        assertThat(job.get("status").asText()).isEqualTo("FAILED");
        assertThat(job.at("/result/error/message").asText()).startsWith("States.ItemReaderFailed: ");
    }

    private ObjectNode stepFunctionImport(String tenant, byte[] csv) {
        String bucket = context.resolvePropertyPlaceholders("{{bucket:bucket}}");
        String key = "modes/" + tenant + ".csv";
        aws.s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(csv));
        ImportModule module = ImportModule.of(context);
        String id = module.start(new ImportRequest("STEP_FUNCTION", bucket, key, "sample", tenant, null))
                .get("id").asText();
        await().atMost(Duration.ofSeconds(40)).until(() -> List.of("COMPLETED", "FAILED")
                .contains(module.jobs().get(id).orElseThrow().get("status").asText()));
        return module.jobs().get(id).orElseThrow();
    }

    /**
     * The bad-input list in STEP_FUNCTION mode. Where the engine's CSV reader differs from DIRECT's (see
     * DirectImportTest.badRowsAreCountedWithTheirLineAndTheRestIsApplied), this pins the difference: short rows are
     * padded with empty values, extra columns dropped, invalid UTF-8 kept as U+FFFD, and an empty file is 0 rows.
     */
    @Test
    void badInputInStepFunctionMode() {
        java.io.ByteArrayOutputStream csv = new java.io.ByteArrayOutputStream();
        csv.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        csv.writeBytes(("code,name,note\r\n"      // 1, after a BOM
                + "c1,One,a\r\n"                  // 2
                + "c2,Two\n"                       // 3: too few
                + "\n"                             // 4: blank
                + "c3,Three,a,extra\n"             // 5: too many
                + "c4,\"Four\nlines\",b\n"          // 6-7
                + ",NoCode,c\n").getBytes(StandardCharsets.UTF_8)); // 8: invalid for the strategy
        csv.writeBytes(new byte[] {'c', '5', ',', (byte) 0xC3, (byte) 0x28, ',', 'x', '\n'}); // 9: invalid UTF-8

        ObjectNode job = stepFunctionImport("sfn-bad", csv.toByteArray());
        assertThat(job.get("status").asText()).isEqualTo("FAILED");
        assertThat(job.get("totalRows").asLong()).isEqualTo(6);
        assertThat(job.get("succeededRows").asLong()).isEqualTo(5);
        assertThat(job.get("failedRows").asLong()).isEqualTo(1);
        assertThat(job.get("rowErrors").toString()).contains("code and name are required");
        // the BOM did not hide the first column
        assertThat(data("sfn-bad", "c1").get("name").asText()).isEqualTo("One");
        assertThat(data("sfn-bad", "c2").at("/attributes/note").asText()).isEmpty();
        assertThat(data("sfn-bad", "c4").get("name").asText()).isEqualTo("Four\nlines");

        ObjectNode headerOnly = stepFunctionImport("sfn-header", "code,name\r\n".getBytes(StandardCharsets.UTF_8));
        assertThat(headerOnly.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(headerOnly.at("/result/total").asLong()).isZero();
        ObjectNode empty = stepFunctionImport("sfn-empty", new byte[0]);
        assertThat(empty.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(empty.at("/result/total").asLong()).isZero();
    }

    private JsonNode data(String tenant, String code) {
        return CommandModule.of(context).store().getData("sample", "SAMPLE#" + tenant, code, true).orElse(null);
    }

    /** The batches' items, in file order (children run in any order). */
    private static List<String> items(List<JsonNode> batches) {
        return batches.stream().map(b -> b.get("Items")).sorted(Comparator.comparingInt(
                (JsonNode items) -> Integer.parseInt(items.get(0).get("code").asText("k999").substring(1))))
                .map(JsonNode::toString).toList();
    }
}
