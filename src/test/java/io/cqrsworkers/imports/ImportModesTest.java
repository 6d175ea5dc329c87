package io.cqrsworkers.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.aws.AwsClients;
import io.cqrsworkers.config.AppConfiguration;
import io.cqrsworkers.testkit.EmbeddedAws;
import io.cqrsworkers.workflow.StepEvent;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** STEP_FUNCTION mode on the embedded engine, and DIRECT mode giving the same batches and the same final job. */
@EmbeddedAws(routes = "classpath:test-routes/*.camel.yaml")
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImportModesTest {

    @BeanInject
    CamelContext context;

    @BeanInject
    AwsClients aws;

    private ImportTestSupport imports;
    private final List<JsonNode> stepBatches = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void watchBothModes() throws Exception {
        if (imports == null) {
            imports = new ImportTestSupport(context);
            AdviceWith.adviceWith(context, "import-csv-rows-handler", a -> a.weaveAddFirst()
                    .process(e -> stepBatches.add(e.getMessage().getBody(StepEvent.class).input().deepCopy())));
        }
    }

    private String bucket() {
        return context.resolvePropertyPlaceholders("{{bucket:bucket}}");
    }

    private String upload(String key, byte[] csv) {
        aws.s3().putObject(b -> b.bucket(bucket()).key(key), RequestBody.fromBytes(csv));
        return key;
    }

    /** Both modes as the API starts them (import row, stream, import action queue); the jobs once finished. */
    private ObjectNode[] importInBothModes(String key, String tenant) {
        String step = imports.created(new ImportRequest("STEP_FUNCTION", bucket(), key, "sample", tenant + "-sfn",
                null));
        String direct = imports.created(new ImportRequest("DIRECT", bucket(), key, "sample", tenant + "-direct",
                null));
        return new ObjectNode[] {imports.finished(step), imports.finished(direct)};
    }

    @Test
    void bothModesGiveTheSameBatchesAndTheSameFinalJob() {
        StringBuilder csv = new StringBuilder("code,name,note\n");
        for (int i = 0; i < 230; i++) {
            csv.append("k").append(i).append(",Name ").append(i).append(",\"a, \"\"quoted\"\"\nnote\"\n");
        }
        csv.append(",no code,x\n");
        ObjectNode[] jobs = importInBothModes(upload("modes/rows.csv", csv.toString().getBytes(StandardCharsets.UTF_8)),
                "same");
        ObjectNode stepFinal = jobs[0];
        ObjectNode directFinal = jobs[1];
        String stepId = stepFinal.get("id").asText();
        List<JsonNode> stepRun = stepBatches.stream()
                .filter(b -> b.at("/BatchInput/Attributes/sourceId").asText().equals(stepId)).toList();

        assertThat(items(stepRun)).isEqualTo(items(imports.batches(directFinal.get("id").asText())));
        assertThat(stepRun).extracting(b -> b.get("Items").size()).containsExactlyInAnyOrder(100, 100, 31);
        for (String field : List.of("status", "totalRows", "lastRow", "processedRows", "succeededRows", "failedRows",
                "result", "rowErrors")) {
            assertThat(stepFinal.get(field)).as(field).isEqualTo(directFinal.get(field));
        }
        assertThat(reasons(stepFinal)).containsExactly("231 row 231 (): code and name are required");
        assertThat(stepFinal.get("lastRow").asLong()).isEqualTo(stepFinal.get("totalRows").asLong()).isEqualTo(231);
        assertThat(stepFinal.get("status").asText()).isEqualTo("FAILED");
        assertThat(stepFinal.get("failedRows").asLong()).isEqualTo(1);
        assertThat(stepFinal.get("succeededRows").asLong()).isEqualTo(230);
    }

    /**
     * The one bad-row rule, in both modes: AWS's CSV reader pads a short row with empty values and drops extra
     * columns, blank lines are skipped; then a row with undecodable bytes fails as invalid UTF-8 and the strategy's
     * validation decides the rest. Same counters, same failed rows with the same reasons.
     */
    @Test
    void everyKindOfBadRowGivesTheSameCountersAndReasonsInBothModes() {
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        csv.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        csv.writeBytes(("code,name,note\r\n"       // after a BOM
                + "c1,One,a\r\n"                  // fine
                + "c2,Two\n"                       // too few columns: note is ""
                + "\n"                             // blank: skipped
                + "c3,Three,a,extra\n"             // too many columns: "extra" dropped
                + "c4,\"Four\nlines\",b\n"          // a quoted line break
                + "c5\n"                           // too few, and then no name: refused by the strategy
                + ",NoCode,c\n").getBytes(StandardCharsets.UTF_8)); // refused by the strategy
        csv.writeBytes(new byte[] {'c', '6', ',', (byte) 0xC3, (byte) 0x28, ',', 'x', '\n'}); // invalid UTF-8

        ObjectNode[] jobs = importInBothModes(upload("modes/bad.csv", csv.toByteArray()), "bad");
        for (String field : List.of("status", "totalRows", "readRows", "lastRow", "processedRows", "succeededRows",
                "failedRows", "result")) {
            assertThat(jobs[0].get(field)).as(field).isEqualTo(jobs[1].get(field));
        }
        // the data rows as the reader counts them: the blank line is not one, the quoted line break is inside one
        assertThat(reasons(jobs[0])).containsExactlyInAnyOrderElementsOf(reasons(jobs[1])).containsExactlyInAnyOrder(
                "5 row 5 (c5): code and name are required",
                "6 row 6 (): code and name are required",
                "7 row 7 (c6): invalid UTF-8");
        ObjectNode direct = jobs[1];
        assertThat(direct.get("status").asText()).isEqualTo("FAILED");
        assertThat(direct.get("totalRows").asLong()).isEqualTo(7);
        assertThat(direct.get("lastRow").asLong()).isEqualTo(7);
        assertThat(direct.get("succeededRows").asLong()).isEqualTo(4);
        assertThat(direct.get("failedRows").asLong()).isEqualTo(3);
        for (String tenant : List.of("bad-sfn", "bad-direct")) {
            // the BOM did not hide the first column
            assertThat(imports.data(tenant, "c1").get("name").asText()).isEqualTo("One");
            assertThat(imports.data(tenant, "c2").at("/attributes/note").asText()).isEmpty();
            assertThat(imports.data(tenant, "c3").get("attributes").toString()).isEqualTo("{\"note\":\"a\"}");
            assertThat(imports.data(tenant, "c4").get("name").asText()).isEqualTo("Four\nlines");
            assertThat(imports.data(tenant, "c6")).isNull();
        }
    }

    @Test
    void aMissingObjectOrAnEmptyFileFailsTheJobInBothModes() {
        ObjectNode[] missing = importInBothModes("modes/missing.csv", "missing");
        assertThat(missing[0].get("status").asText()).isEqualTo("FAILED");
        assertThat(missing[0].at("/result/error/message").asText()).startsWith("States.ItemReaderFailed: ");
        assertThat(missing[1].get("status").asText()).isEqualTo("FAILED");
        assertThat(missing[1].at("/result/error/message").asText()).startsWith("Import.ObjectNotFound: ");

        ObjectNode[] empty = importInBothModes(upload("modes/empty.csv", new byte[0]), "empty");
        assertThat(empty[0].get("status").asText()).isEqualTo("FAILED");
        assertThat(empty[0].at("/result/error/message").asText()).contains("empty");
        assertThat(empty[1].get("status").asText()).isEqualTo("FAILED");
        assertThat(empty[1].at("/result/error/message").asText()).contains("empty");

        ObjectNode[] headerOnly = importInBothModes(upload("modes/header.csv",
                "code,name\r\n".getBytes(StandardCharsets.UTF_8)), "header");
        for (ObjectNode job : headerOnly) {
            assertThat(job.get("status").asText()).isEqualTo("COMPLETED");
            assertThat(job.at("/result/total").asLong()).isZero();
        }
    }

    private static List<String> reasons(JsonNode job) {
        List<String> reasons = new ArrayList<>();
        job.get("rowErrors").forEach(e -> reasons.add(e.get("row").asLong() + " " + e.get("reason").asText()));
        return reasons;
    }

    /** The batches' items, in file order (batches run in any order). */
    private static List<String> items(List<JsonNode> batches) {
        return batches.stream().map(b -> b.get("Items"))
                .sorted(Comparator.comparingLong((JsonNode items) -> items.get(0).get("index").asLong()))
                .map(JsonNode::toString).toList();
    }
}
