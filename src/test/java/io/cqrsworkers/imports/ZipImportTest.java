package io.cqrsworkers.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.aws.AwsClients;
import io.cqrsworkers.command.CommandStore;
import io.cqrsworkers.config.AppConfiguration;
import io.cqrsworkers.callback.SfnTaskHeaders;
import io.cqrsworkers.json.Jackson;
import io.cqrsworkers.support.Http;
import io.cqrsworkers.testkit.EmbeddedAws;
import io.cqrsworkers.testkit.EmbeddedAwsClient;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.Builder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.apache.camel.test.main.junit5.CamelMainTest;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * ZIP imports end to end on the embedded AWS (API, import stream, import action queue, the import-zip orchestrator on
 * the embedded engine, one CSV job per file in either mode), reference scenarios 19 and 20, and the bad-input list.
 * Limits are small here: 5 entries, 1 MB unpacked.
 */
@EmbeddedAws(routes = "classpath:test-routes/*.camel.yaml")
@CamelMainTest(configurationClasses = AppConfiguration.class,
        properties = {"app.import.zip.max-entries=5", "app.import.zip.max-unpacked-bytes=1000000"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZipImportTest {

    /** The class's embedded AWS: its ports, data folder and clients. */
    EmbeddedAwsClient kit;

    @BeanInject
    CamelContext context;

    @BeanInject
    AwsClients aws;

    private String bucket() {
        return context.resolvePropertyPlaceholders("{{bucket:bucket}}");
    }

    private ImportJobs jobs() {
        return context.getRegistry().lookupByNameAndType(ImportJobs.BEAN, ImportJobs.class);
    }

    private static byte[] zip(Map<String, String> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    private String upload(String key, byte[] content) {
        aws.s3().putObject(b -> b.bucket(bucket()).key(key), RequestBody.fromBytes(content));
        return key;
    }

    private Http.Response start(String key, String tenant, String mode, String table) {
        ObjectNode request = Jackson.MAPPER.createObjectNode().put("bucket", bucket()).put("key", key)
                .put("tenantCode", tenant).put("processingMode", mode);
        if (table != null) {
            request.put("tableName", table);
        }
        return Http.post("http://127.0.0.1:" + kit.serverPort() + "/api/imports/zip", request.toString());
    }

    private String started(String key, String tenant, String mode) {
        Http.Response r = start(key, tenant, mode, "sample");
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        return read(r.body()).get("id").asText();
    }

    private static JsonNode read(String json) {
        try {
            return Jackson.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private ObjectNode finished(String id) {
        await().atMost(Duration.ofSeconds(60)).failFast(() -> false).conditionEvaluationListener(c -> {
            if (c.getRemainingTimeInMS() < 1000) {
                JsonNode job = jobs().get(id).orElseThrow();
                System.out.println("ZIP job at timeout: " + job);
                job.path("files").forEach(f -> System.out.println("  file job: "
                        + jobs().get(f.path("jobId").asText("CSV_IMPORT#x#none")).map(Object::toString).orElse("-")));
            }
        }).until(() -> List.of("COMPLETED", "FAILED").contains(jobs().get(id).orElseThrow().get("status").asText()));
        return jobs().get(id).orElseThrow();
    }

    private static String csv(String prefix, int rows) {
        StringBuilder csv = new StringBuilder("code,name\n");
        for (int i = 0; i < rows; i++) {
            csv.append(prefix).append(i).append(",Name ").append(i).append('\n');
        }
        return csv.toString();
    }

    private JsonNode data(String tenant, String code) {
        return context.getRegistry().findSingleByType(CommandStore.class)
                .getData("sample", "SAMPLE#" + tenant, code, true).orElse(null);
    }

    /** Three CSVs, stored out of order, imported in name order, each as a normal CSV job of the mode. */
    private void threeFilesIn(String mode) {
        String tenant = "zip3-" + mode.toLowerCase().replace('_', '-');
        Map<String, String> files = new LinkedHashMap<>();
        files.put("c.csv", csv("c", 30));
        files.put("a.csv", csv("a", 120));
        files.put("b.csv", csv("b", 5));
        String id = started(upload("zips/three-" + mode + ".zip", zip(files)), tenant, mode);

        ObjectNode job = finished(id);
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("COMPLETED");
        assertThat(job.get("type").asText()).isEqualTo("ZIP_MASTER_JOB");
        assertThat(job.at("/result/total").asLong()).isEqualTo(155);
        assertThat(job.at("/result/succeeded").asLong()).isEqualTo(155);
        assertThat(job.at("/result/failed").asLong()).isZero();
        List<String> names = new ArrayList<>();
        String previousCsvJob = "";
        for (JsonNode file : job.get("files")) {
            names.add(file.get("name").asText());
            assertThat(file.get("status").asText()).isEqualTo("COMPLETED");
            assertThat(file.get("key").asText()).isEqualTo("csv-imports/" + tenant + "/" + ZipJobs.unique(id) + "/"
                    + file.get("name").asText());
            ObjectNode csvJob = jobs().get(file.get("jobId").asText()).orElseThrow();
            assertThat(csvJob.get("source").asText()).isEqualTo(id);
            assertThat(csvJob.at("/attributes/processingMode").asText()).isEqualTo(mode);
            assertThat(csvJob.get("status").asText()).isEqualTo("COMPLETED");
            // one after the other: each CSV job was created after the previous one ended
            assertThat(csvJob.get("createdAt").asText()).isGreaterThanOrEqualTo(previousCsvJob);
            previousCsvJob = csvJob.get("updatedAt").asText();
        }
        assertThat(names).containsExactly("a.csv", "b.csv", "c.csv");
        assertThat(data(tenant, "a119").get("name").asText()).isEqualTo("Name 119");
        assertThat(data(tenant, "c29")).isNotNull();
    }

    @Test
    void threeCsvFilesInDirectMode() {
        threeFilesIn("DIRECT");
    }

    @Test
    void threeCsvFilesInStepFunctionMode() {
        threeFilesIn("STEP_FUNCTION");
    }

    @Test
    void theArchiveAsTheBodyIsStagedAndImported() throws Exception {
        byte[] archive = zip(Map.of("20250101000000-sample.csv", csv("u", 3)));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + kit.serverPort() + "/api/imports/zip?tenantCode=zipbody"))
                .header("content-type", "application/zip").POST(HttpRequest.BodyPublishers.ofByteArray(archive))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        ObjectNode job = finished(read(r.body()).get("id").asText());
        // no tableName in the request: the file's name gives it
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("COMPLETED");
        assertThat(data("zipbody", "u2")).isNotNull();
    }

    /** Scenario 20 (and 19 end to end): one file's job FAILED makes the ZIP job FAILED; the summary sums all. */
    @Test
    void aFailedFileFailsTheZipJobWithTheSummaryOfAll() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("1.csv", csv("f", 10));
        files.put("2.csv", "code,name\nok1,One\n,no code\nok2,Two\n");
        files.put("3.csv", csv("g", 4));
        String id = started(upload("zips/one-bad.zip", zip(files)), "zipbad", "DIRECT");
        ObjectNode job = finished(id);
        assertThat(job.get("status").asText()).isEqualTo("FAILED");
        assertThat(job.at("/result/total").asLong()).isEqualTo(17);
        assertThat(job.at("/result/succeeded").asLong()).isEqualTo(16);
        assertThat(job.at("/result/failed").asLong()).isEqualTo(1);
        assertThat(job.at("/result/failedFiles").asInt()).isEqualTo(1);
        assertThat(job.get("files")).extracting(f -> f.get("status").asText())
                .containsExactly("COMPLETED", "FAILED", "COMPLETED");
        // the files after the failed one were still imported
        assertThat(data("zipbad", "g3")).isNotNull();
    }

    /** Scenario 20 on the step alone: importJobStatus FAILED in one result; totals summed. */
    @Test
    void finalizeZipJobSumsAndFailsOnAFailedFile() {
        // written PROCESSING, as its unpacking leaves it (a CREATED row would be queued and unpacked)
        ObjectNode job = Jackson.MAPPER.createObjectNode().put("pk", "ZIP_IMPORT#zipfin").put("sk", "ZIP#fin")
                .put("id", "ZIP_IMPORT#zipfin#ZIP#fin").put("type", ZipJobs.TYPE).put("status", "PROCESSING");
        jobs().put(job);
        String id = job.get("id").asText();
        ObjectNode input = Jackson.MAPPER.createObjectNode();
        input.putObject("masterJobKey").put("pk", job.get("pk").asText()).put("sk", job.get("sk").asText());
        input.putArray("sortedS3Keys").add("k1").add("k2");
        input.putArray("results")
                .add(read("{\"total\":100,\"succeeded\":100,\"failed\":0,\"importJobStatus\":\"COMPLETED\"}"))
                .add(read("{\"totalRows\":50,\"processedRows\":48,\"failedRows\":2,\"importJobStatus\":\"FAILED\"}"));
        ObjectNode event = Jackson.MAPPER.createObjectNode();
        event.putObject("context").putObject("Execution").put("Id", "arn:aws:states:x:1:execution:m:zipfin");
        JsonNode output = read(context.getRegistry().lookupByNameAndType(ZipOrchestration.BEAN,
                ZipOrchestration.class).finalizeZip(new io.cqrsworkers.workflow.StepEvent("import-zip",
                "finalize_zip_job", event.get("context"), input, "t")));
        assertThat(output.get("status").asText()).isEqualTo("FAILED");
        ObjectNode ended = jobs().get(id).orElseThrow();
        assertThat(ended.get("status").asText()).isEqualTo("FAILED");
        assertThat(ended.at("/result/total").asLong()).isEqualTo(150);
        assertThat(ended.at("/result/succeeded").asLong()).isEqualTo(148);
        assertThat(ended.at("/result/failed").asLong()).isEqualTo(2);
    }

    /** Scenario 19: which CSV job records answer a token, and with what. */
    @Test
    void aCsvJobWithATokenAnswersItWhenItEnds() {
        ZipOrchestration orchestration = context.getRegistry().lookupByNameAndType(ZipOrchestration.BEAN,
                ZipOrchestration.class);
        String base = "{\"pk\":\"CSV_IMPORT#t\",\"sk\":\"sample#1\",\"id\":\"CSV_IMPORT#t#sample#1\","
                + "\"result\":{\"message\":\"m\",\"total\":3,\"succeeded\":3,\"failed\":0},";
        ZipOrchestration.FileEnd completed = orchestration.fileEnd(read(base
                + "\"status\":\"COMPLETED\",\"attributes\":{\"key\":\"k.csv\",\"taskToken\":\"tok\"}}"));
        assertThat(completed.token()).isEqualTo("tok");
        assertThat(completed.output().get("total").asLong()).isEqualTo(3);
        assertThat(completed.output().get("message").asText()).isEqualTo("m");
        assertThat(completed.output().get("importJobStatus").asText()).isEqualTo("COMPLETED");
        ZipOrchestration.FileEnd failed = orchestration.fileEnd(read(base
                + "\"status\":\"FAILED\",\"attributes\":{\"taskToken\":\"tok\"}}"));
        assertThat(failed.output().get("importJobStatus").asText()).isEqualTo("FAILED");
        assertThat(orchestration.fileEnd(read(base + "\"status\":\"COMPLETED\",\"attributes\":{}}"))).isNull();
        assertThat(orchestration.fileEnd(read(base
                + "\"status\":\"PROCESSING\",\"attributes\":{\"taskToken\":\"tok\"}}"))).isNull();
        assertThat(orchestration.fileEnd(read(base.replace("CSV_IMPORT#", "IMPORT#")
                + "\"status\":\"COMPLETED\",\"attributes\":{\"taskToken\":\"tok\"}}"))).isNull();
    }

    // ------------------------------------------------------------------------------------------- stream filter

    /** What reached import-zip-file-ended (the ids of the jobs whose records entered it) and the tokens answered. */
    private final List<String> fileEndedEntries = new CopyOnWriteArrayList<>();
    private final List<String> answeredTokens = new CopyOnWriteArrayList<>();
    private boolean fileEndedAdvised;

    /**
     * Records every exchange entering import-zip-file-ended, and answers the tokens of this test ({@code filter-})
     * here instead of through sfn-task:success (no execution waits for them). Other tests' records go on as usual.
     */
    private synchronized void recordFileEnded() throws Exception {
        if (fileEndedAdvised) {
            return;
        }
        AdviceWith.adviceWith(context, "import-zip-file-ended", a -> {
            a.weaveAddFirst().process(e -> {
                Record record = e.getMessage().getBody(Record.class);
                fileEndedEntries.add(record.dynamodb().keys().get("pk").s() + "#"
                        + record.dynamodb().keys().get("sk").s());
            });
            a.interceptSendToEndpoint("sfn-task:success")
                    .when(Builder.header(SfnTaskHeaders.TOKEN).startsWith("filter-"))
                    .skipSendToOriginalEndpoint()
                    .process(e -> answeredTokens.add(e.getMessage().getHeader(SfnTaskHeaders.TOKEN, String.class)));
        });
        fileEndedAdvised = true;
    }

    /**
     * The import stream takes INSERT and MODIFY records of import_tmp, and a CSV job's counters change with every
     * batch (a MODIFY each, and a marker's INSERT): none of that reaches the ZIP route, only the job's end does. The
     * records of one item arrive in the order they were written, so once the end has reached the route the counters'
     * records before it have been through the import stream: had they triggered anything, the route's entries would
     * show them (before the filter every MODIFY entered it).
     */
    @Test
    void aModifyThatDoesNotEndAJobTriggersNothing() throws Exception {
        recordFileEnded();
        String sk = "sample#filter-" + System.nanoTime();
        ObjectNode job = Jackson.MAPPER.createObjectNode().put("pk", "CSV_IMPORT#zipfilter").put("sk", sk)
                .put("id", "CSV_IMPORT#zipfilter#" + sk).put("type", "CSV_MASTER_JOB").put("tenantCode", "zipfilter")
                .put("status", "PROCESSING");
        job.putObject("attributes").put("key", "csv-imports/zipfilter/x/a.csv").put("taskToken", "filter-" + sk);
        String id = job.get("id").asText();
        // written PROCESSING (run by its creator): its INSERT is not queued either
        jobs().put(job);
        // two batches counted: their markers' INSERTs and the job's MODIFYs (lastRow, counters), status PROCESSING
        jobs().count(id, "b0/read", new ImportJobs.Counts(2, 2, 2, 0, List.of(), 2));
        jobs().count(id, "b1/read", new ImportJobs.Counts(1, 1, 1, 0, List.of(), 3));
        assertThat(fileEndedEntries).doesNotContain(id);
        ObjectNode result = Jackson.MAPPER.createObjectNode().put("total", 3).put("succeeded", 3).put("failed", 0);
        assertThat(jobs().status(id, ImportStatus.COMPLETED, result, ImportStatus.PROCESSING)).isTrue();

        await().atMost(Duration.ofSeconds(60)).until(() -> answeredTokens.contains("filter-" + sk));
        assertThat(fileEndedEntries.stream().filter(id::equals)).as("records of the job that entered the ZIP route")
                .hasSize(1);
        assertThat(answeredTokens.stream().filter(("filter-" + sk)::equals)).hasSize(1);
    }

    // ------------------------------------------------------------------------------------------------ bad input

    @Test
    void notAZipAndAnEmptyArchiveAre400() throws Exception {
        Http.Response notZip = start(upload("zips/not.zip", "code,name\n1,a\n".getBytes(StandardCharsets.UTF_8)),
                "zip400", "DIRECT", "sample");
        assertThat(notZip.status()).as(notZip.body()).isEqualTo(400);
        assertThat(notZip.body()).contains("Not a ZIP archive");

        Http.Response empty = start(upload("zips/empty.zip", zip(Map.of())), "zip400", "DIRECT", "sample");
        assertThat(empty.status()).as(empty.body()).isEqualTo(400);
        assertThat(empty.body()).contains("The archive is empty");

        Http.Response missing = start("zips/missing.zip", "zip400", "DIRECT", "sample");
        assertThat(missing.status()).as(missing.body()).isEqualTo(400);
        assertThat(missing.body()).contains("does not exist");

        Http.Response noTenant = start("zips/x.zip", "", "DIRECT", "sample");
        assertThat(noTenant.status()).isEqualTo(400);
        assertThat(noTenant.body()).contains("tenantCode is required");
    }

    @Test
    void aZeroByteObjectIs400() {
        Http.Response zeroBytes = start(upload("zips/zero.zip", new byte[0]), "zip400", "DIRECT", "sample");
        assertThat(zeroBytes.status()).as(zeroBytes.body()).isEqualTo(400);
        assertThat(zeroBytes.body()).containsAnyOf("not a ZIP", "cannot be read as a ZIP", "Not a ZIP");
    }

    private ObjectNode failedWith(String name, byte[] archive, String table) {
        Http.Response r = start(upload("zips/" + name + ".zip", archive), "zipbadin", "DIRECT", table);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        ObjectNode job = finished(read(r.body()).get("id").asText());
        assertThat(job.get("status").asText()).isEqualTo("FAILED");
        return job;
    }

    private static String reason(ObjectNode job) {
        return job.at("/result/error/message").asText();
    }

    @Test
    void badEntriesFailTheJobWithTheReasonAndNothingIsWrittenOutsideItsFolder() {
        assertThat(reason(failedWith("notcsv", zip(Map.of("a.csv", "code,name\n", "notes.txt", "x")), "sample")))
                .contains("Entry 'notes.txt': not a CSV file");
        assertThat(reason(failedWith("nested", zip(Map.of("dir/a.csv", "code,name\n")), "sample")))
                .contains("Entry 'dir/a.csv'").contains("nested folders");
        ObjectNode dotdot = failedWith("dotdot", zip(Map.of("../../escaped.csv", "code,name\n")), "sample");
        assertThat(reason(dotdot)).contains("Entry '../../escaped.csv': a name with '..'");
        assertThat(reason(failedWith("absolute", zip(Map.of("/tmp/abs.csv", "code,name\n")), "sample")))
                .contains("Entry '/tmp/abs.csv': an absolute path");
        assertThat(reason(failedWith("noTable", zip(Map.of("plain.csv", "code,name\n")), null)))
                .contains("<14 digits>-<table>.csv");
        // never written: not at the escaped key, not anywhere under csv-imports/ of the tenant's parent
        assertThatThrownBy(() -> aws.s3().headObject(b -> b.bucket(bucket()).key("csv-imports/escaped.csv")))
                .isInstanceOf(NoSuchKeyException.class);
        assertThat(aws.s3().listObjectsV2(b -> b.bucket(bucket()).prefix("csv-imports/zipbadin/"
                + ZipJobs.unique(dotdot.get("id").asText()))).contents()).isEmpty();
    }

    @Test
    void zipBombsStopAtTheLimits() {
        Map<String, String> six = new LinkedHashMap<>();
        for (int i = 0; i < 6; i++) {
            six.put(i + ".csv", "code,name\n");
        }
        assertThat(reason(failedWith("many", zip(six), "sample"))).contains("more than 5 files");
        char[] zeros = new char[2_000_000];
        Arrays.fill(zeros, '0');
        byte[] bomb = zip(Map.of("bomb.csv", new String(zeros)));
        assertThat(bomb.length).isLessThan(10_000);
        assertThat(reason(failedWith("bomb", bomb, "sample"))).contains("unpacks to more than 1000000 bytes");
    }

    @Test
    void aCorruptEntryFailsTheJob() {
        byte[] archive = zip(Map.of("a.csv", csv("z", 2000)));
        // damage the compressed data of the entry (after its 30-byte local header and name)
        for (int i = 60; i < 200; i++) {
            archive[i] = (byte) 0xFF;
        }
        assertThat(reason(failedWith("corrupt", archive, "sample"))).contains("Corrupt archive at entry 'a.csv'");
    }
}
