package io.cqrsworkers.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.aws.DynamoJson;
import io.cqrsworkers.chaos.ServiceProcess;
import io.cqrsworkers.json.Jackson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * kill -9 in the middle of a ZIP import, twice, on the packaged service as the chaos test runs it
 * ({@link ServiceProcess}: a child JVM, its embedded AWS keeping everything under its own directory, started again on
 * the same directory and ports):
 * <ol>
 * <li>while the archive is unpacked: the ZIP job is PROCESSING, some of its entries are in S3 and its files are not
 *     recorded yet. After the restart its start message comes back (SQS, after its visibility timeout), claims the job
 *     again and unpacks it again from the first entry, writing the same objects under the same keys;</li>
 * <li>while the orchestrator is between two CSV jobs: a file's job has ended (it shows on the ZIP job) and the next
 *     one is not written yet. After the restart the engine resumes its Map and the next file's step.</li>
 * </ol>
 * Then the ZIP job must end COMPLETED (never stay PROCESSING) with every file imported exactly once: one CSV job per
 * file, each COMPLETED with its rows, every row one data record at version 1 with one command and no history, every
 * entry in S3 once with its size, and nothing left of the killed unpack on disk. (The embedded S3 may list an upload
 * the kill cut under a temporary name, {@code <key>-<uuid>}: S3Proxy's filesystem store writes there and renames;
 * the test prints it. S3 itself never shows a partial object, and the import reads the keys it recorded.)
 * <p>
 * The files are padded with blank lines (the readers skip them) so the unpack moves megabytes and lasts long enough to
 * be killed in the middle, while each file's CSV job applies only a few rows. Logs stay in
 * target/chaos/zip-kill-&lt;time&gt;/.
 */
class ZipImportKillTest {

    private static final String TENANT = "zipkill";
    private static final int FILES = 10;
    private static final int ROWS = 3;
    /** Blank lines after each file's rows: the unpacked bytes (4 MB a file), not the rows, make the unpack long. */
    private static final int PADDING = 4_000_000;
    /** The temporary name S3Proxy writes an object to before it renames it: {@code <key>-<uuid>}. */
    private static final Pattern TORN_UPLOAD = Pattern.compile(".+-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}"
            + "-[0-9a-f]{12}");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private ServiceProcess service;
    private Path workDir;
    private DynamoDbClient dynamo;
    private S3Client s3;

    @AfterEach
    void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        if (dynamo != null) {
            dynamo.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void aZipJobKilledWhileUnpackingAndBetweenItsCsvJobsEndsWithEveryFileImportedOnce() throws Exception {
        workDir = Files.createDirectories(Path.of("target", "chaos").toAbsolutePath()
                .resolve("zip-kill-" + System.currentTimeMillis()));
        service = new ServiceProcess(workDir);
        say("the service: %s; working directory %s", service.describe(), workDir);
        Path log = service.start();
        say("life 0: ready in %d ms", service.awaitReady(Duration.ofSeconds(300), log));
        clients();
        String bucket = ServiceProcess.PREFIX + "bucket";
        Map<String, Long> sizes = new TreeMap<>();
        byte[] archive = archive(sizes);
        s3.putObject(b -> b.bucket(bucket).key("zip-kill/archive.zip"), RequestBody.fromBytes(archive));
        ObjectNode request = Jackson.MAPPER.createObjectNode().put("bucket", bucket).put("key", "zip-kill/archive.zip")
                .put("tableName", "sample").put("tenantCode", TENANT).put("processingMode", "DIRECT");
        JsonNode accepted = post("/imports/zip", request);
        String id = accepted.get("id").asText();
        String unique = ZipJobs.unique(id);
        String prefix = "csv-imports/" + TENANT + "/" + unique + "/";
        say("ZIP job %s accepted: %d files of %d rows, %,d bytes zipped, %,d unpacked", id, FILES, ROWS,
                archive.length, sizes.values().stream().mapToLong(Long::longValue).sum());

        // kill 1: entries in S3, the job PROCESSING without its files
        long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
        int written = 0;
        while (true) {
            JsonNode job = job(id);
            if (job.has("files") || ended(job)) {
                fail("The unpack ended before the kill could land in it (" + written + " entries seen in S3): " + job);
            }
            written = s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)).contents().size();
            if (written > 0) {
                String status = job(id).path("status").asText();
                int exit = service.kill();
                say("kill 1 while unpacking: SIGKILL (exit %d) with %d of %d entries in S3, the job %s without "
                        + "files", exit, written, FILES, status);
                break;
            }
            if (System.nanoTime() > deadline) {
                fail("No entry of the ZIP job in S3 within 300 s: " + job(id));
            }
            Thread.sleep(10);
        }
        log = service.start();
        say("life 1: ready in %d ms", service.awaitReady(Duration.ofSeconds(300), log));

        // kill 2: file k's CSV job ended, file k + 1's not written yet
        deadline = System.nanoTime() + Duration.ofSeconds(600).toNanos();
        while (true) {
            JsonNode job = job(id);
            if (ended(job)) {
                fail("The ZIP job ended before the orchestrator could be killed between two files: " + job);
            }
            JsonNode files = job.path("files");
            int between = -1;
            for (int k = 0; k + 1 < files.size(); k++) {
                if (List.of("COMPLETED", "FAILED").contains(files.get(k).path("status").asText())
                        && "PENDING".equals(files.get(k + 1).path("status").asText())) {
                    between = k;
                }
            }
            if (between >= 0) {
                int exit = service.kill();
                say("kill 2 between two CSV jobs: SIGKILL (exit %d) after file %d (%s) ended and before file %d "
                        + "started; files %s", exit, between, files.get(between).path("name").asText(), between + 1,
                        statuses(files));
                break;
            }
            if (System.nanoTime() > deadline) {
                fail("The orchestrator was never seen between two files within 600 s: " + job);
            }
            Thread.sleep(5);
        }
        log = service.start();
        say("life 2: ready in %d ms", service.awaitReady(Duration.ofSeconds(300), log));

        deadline = System.nanoTime() + Duration.ofSeconds(600).toNanos();
        JsonNode job = job(id);
        while (!ended(job) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            job = job(id);
        }
        say("the ZIP job: %s %s; files %s", job.path("status").asText(), job.path("result"),
                statuses(job.path("files")));
        assertThat(job.path("status").asText()).as("the ZIP job (logs in %s): %s", workDir, job)
                .isEqualTo("COMPLETED");
        assertThat(job.at("/result/files").asInt()).isEqualTo(FILES);
        assertThat(job.at("/result/total").asLong()).isEqualTo((long) FILES * ROWS);
        assertThat(job.at("/result/succeeded").asLong()).isEqualTo((long) FILES * ROWS);
        assertThat(job.at("/result/failed").asLong()).isZero();

        // every file once: its object, its CSV job, its rows
        Map<String, Long> stored = new TreeMap<>();
        List<String> torn = new ArrayList<>();
        for (S3Object object : s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)).contents()) {
            String name = object.key().substring(prefix.length());
            if (TORN_UPLOAD.matcher(name).matches() && sizes.containsKey(name.substring(0, name.length() - 37))) {
                // the embedded S3 (S3Proxy's filesystem store) writes an object to <key>-<uuid> and renames it: an
                // upload cut by the kill stays there and is listed (S3 itself never shows a partial object)
                torn.add(name + " (" + object.size() + " bytes)");
            } else {
                stored.put(name, object.size());
            }
        }
        if (!torn.isEmpty()) {
            say("the embedded S3 lists the upload the kill cut as %s; the import reads only the recorded keys", torn);
        }
        assertThat(stored).as("the unpacked entries in S3").isEqualTo(sizes);
        List<JsonNode> csvJobs = new ArrayList<>();
        for (Map<String, AttributeValue> item : query("import_tmp", "CSV_IMPORT#" + TENANT)) {
            csvJobs.add(DynamoJson.fromItem(item));
        }
        assertThat(csvJobs).as("one CSV job per file").hasSize(FILES);
        Set<String> keys = new HashSet<>();
        for (JsonNode csvJob : csvJobs) {
            assertThat(csvJob.path("source").asText()).isEqualTo(id);
            assertThat(csvJob.path("status").asText()).as(csvJob.toString()).isEqualTo("COMPLETED");
            assertThat(csvJob.path("totalRows").asLong()).as(csvJob.toString()).isEqualTo(ROWS);
            assertThat(csvJob.path("succeededRows").asLong()).as(csvJob.toString()).isEqualTo(ROWS);
            keys.add(csvJob.at("/attributes/key").asText());
        }
        assertThat(keys).as("the files the CSV jobs read").isEqualTo(sizes.keySet().stream().map(n -> prefix + n)
                .collect(java.util.stream.Collectors.toSet()));
        for (JsonNode file : job.path("files")) {
            assertThat(file.path("status").asText()).as(file.toString()).isEqualTo("COMPLETED");
        }
        List<Map<String, AttributeValue>> data = query("sample-data", "SAMPLE#" + TENANT);
        assertThat(data).as("one data record per row").hasSize(FILES * ROWS);
        assertThat(data).allSatisfy(d -> assertThat(d.get("version").n() != null ? d.get("version").n()
                : d.get("version").s()).as("version of %s", d.get("sk")).isEqualTo("1"));
        assertThat(query("sample-command", "SAMPLE#" + TENANT)).as("one command per row").hasSize(FILES * ROWS);
        assertThat(query("sample-history", "SAMPLE#" + TENANT)).as("no second version of any row").isEmpty();
        // the killed unpack's entry on disk went with the run that resumed it
        assertThat(Path.of(System.getProperty("java.io.tmpdir"), "zip-import-" + unique)).doesNotExist();
    }

    /** FILES CSV files of ROWS rows each, padded with blank lines; their unpacked sizes by name. */
    private static byte[] archive(Map<String, Long> sizes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] padding = "\n".repeat(PADDING).getBytes(StandardCharsets.US_ASCII);
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int f = 0; f < FILES; f++) {
                String name = String.format("f%02d.csv", f);
                StringBuilder csv = new StringBuilder("code,name\n");
                for (int r = 0; r < ROWS; r++) {
                    csv.append("k").append(f).append('-').append(r).append(",Name ").append(r).append('\n');
                }
                byte[] rows = csv.toString().getBytes(StandardCharsets.UTF_8);
                zip.putNextEntry(new ZipEntry(name));
                zip.write(rows);
                zip.write(padding);
                zip.closeEntry();
                sizes.put(name, (long) rows.length + padding.length);
            }
        }
        return bytes.toByteArray();
    }

    private static boolean ended(JsonNode job) {
        return List.of("COMPLETED", "FAILED").contains(job.path("status").asText());
    }

    private static String statuses(JsonNode files) {
        List<String> out = new ArrayList<>();
        files.forEach(f -> out.add(f.path("name").asText() + " " + f.path("status").asText()));
        return out.toString();
    }

    private JsonNode job(String id) {
        String[] parts = id.split("#", 3);
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(ServiceProcess.PREFIX + "import_tmp")
                .consistentRead(true).key(Map.of("pk", AttributeValue.fromS(parts[0] + "#" + parts[1]),
                        "sk", AttributeValue.fromS(parts[2])))).item();
        return item == null || item.isEmpty() ? Jackson.MAPPER.createObjectNode() : DynamoJson.fromItem(item);
    }

    private List<Map<String, AttributeValue>> query(String table, String pk) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        dynamo.queryPaginator(b -> b.tableName(ServiceProcess.PREFIX + table).consistentRead(true)
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(new HashMap<>(Map.of(":pk", AttributeValue.fromS(pk)))))
                .items().forEach(items::add);
        return items;
    }

    private JsonNode post(String path, JsonNode body) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(service.api() + path))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("POST %s: %s", path, response.body()).isEqualTo(202);
        return Jackson.MAPPER.readTree(response.body());
    }

    private void clients() {
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create("local", "local"));
        dynamo = DynamoDbClient.builder().endpointOverride(service.endpoint(service.dynamoDbPort))
                .region(Region.US_EAST_1).credentialsProvider(credentials).build();
        s3 = S3Client.builder().endpointOverride(service.endpoint(service.s3Port)).forcePathStyle(true)
                .region(Region.US_EAST_1).credentialsProvider(credentials).build();
    }

    private void say(String format, Object... args) {
        String line = "[zip-kill] " + String.format(format, args);
        System.out.println(line);
        try {
            Files.writeString(workDir.resolve("report.txt"), line + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the line is on stdout
        }
    }
}
