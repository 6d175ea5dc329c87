package io.cqrsworkers.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.aws.AwsClients;
import io.cqrsworkers.imports.BatchResult;
import io.cqrsworkers.imports.DirectImport;
import io.cqrsworkers.imports.ImportJobs;
import io.cqrsworkers.imports.ZipImportApi;
import io.cqrsworkers.imports.ZipImportRequest;
import io.cqrsworkers.workflow.StepEvent;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.main.Main;
import org.apache.camel.model.BeanDefinition;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * ZIP imports: an archive of {@code files} CSV files of {@code rows} rows each (default 100 x 10,000), imported
 * through the service as the API starts it (ZIP job, import stream, import action queue, unpack, the import-zip
 * orchestrator, one CSV job after the other). A ZIP job of {@code -Dbench.warmup-files} files (3) of the same rows
 * runs first as a warm-up (the import stream's KCL worker starts some seconds after the service, and the first files
 * run while the code is compiled), then the measured one.
 * Printed:
 * <ul>
 * <li>the time from the API's job to its claim (stream + queue), the unpack time (claimed to files recorded on the
 *     job: S3 download, inflate, S3 upload of every entry) with files/s and MB/s;</li>
 * <li>the whole import (job written to COMPLETED): files/s and rows/s, and the orchestration alone (files recorded to
 *     COMPLETED) in files/s;</li>
 * <li>memory: the old generation's peak and the heap's peak (sampled every 20 ms) during the import, the old
 *     generation after a full GC at its end, and the -Xmx of the run;</li>
 * <li>the machine (host, cores) and its load (1/5/15 min, /proc/loadavg) before and after.</li>
 * </ul>
 * By default the rows handler of either mode only counts the rows, on the job too (the job's counters, its
 * completion, and so the answer to the orchestrator, are the real ones): the orchestration's own cost.
 * {@code -Dbench.apply=true} applies every row (1,000,000 rows take minutes: see ImportBenchmark for rows/s).
 * {@code -Dbench.separate-aws=<heap>} runs the embedded AWS in a child JVM so the heap figures are the service's own.
 * <pre>
 * mvn -q -o -B test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -Xmx256m -Dbench.separate-aws=2g -cp "target/test-classes:target/classes:$(cat target/cp.txt)" \
 *   io.cqrsworkers.bench.ZipImportBenchmark [files=100] [rows=10000] [mode=DIRECT]
 * </pre>
 */
public final class ZipImportBenchmark {

    private static final String TENANT = "zipbench";

    private ZipImportBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int files = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        String mode = args.length > 2 ? args[2] : "DIRECT";
        boolean apply = Boolean.getBoolean("bench.apply");
        String separateAws = System.getProperty("bench.separate-aws");
        System.out.printf("%s on %s, %d cores, -Xmx %s, AWS %s; load before the start %s%n", Instant.now(),
                InetAddress.getLocalHost().getHostName(), Runtime.getRuntime().availableProcessors(), xmx(),
                separateAws == null ? "in this JVM" : "in a child JVM (-Xmx" + separateAws + ")", load());
        Main main = separateAws == null ? BenchService.start() : BenchService.startWithSeparateAws(separateAws);
        int exit = 0;
        try {
            CamelContext context = main.getCamelContext();
            AwsClients aws = context.getRegistry().lookupByNameAndType("awsClients", AwsClients.class);
            String bucket = context.resolvePropertyPlaceholders("{{bucket:bucket}}");
            ImportJobs jobs = context.getRegistry().lookupByNameAndType(ImportJobs.BEAN, ImportJobs.class);
            AtomicLong rowsSeen = new AtomicLong();
            if (!apply) {
                countOnly(context, jobs, rowsSeen);
            }

            int warmupFiles = Integer.getInteger("bench.warmup-files", 3);
            Path archive = Files.createTempFile("zip-bench", ".zip");
            write(archive, warmupFiles, rows);
            aws.s3().putObject(b -> b.bucket(bucket).key("bench/warmup.zip"), RequestBody.fromFile(archive));
            long unpackedBytes = write(archive, files, rows);
            aws.s3().putObject(b -> b.bucket(bucket).key("bench/archive.zip"), RequestBody.fromFile(archive));
            System.out.printf("archive: %d files x %,d rows, %.1f MB zipped, %.1f MB unpacked; rows %s; mode %s%n",
                    files, rows, Files.size(archive) / 1e6, unpackedBytes / 1e6,
                    apply ? "applied" : "counted only", mode);
            Files.delete(archive);

            long warm = System.nanoTime();
            Run warmup = run(context, jobs, bucket, "bench/warmup.zip", TENANT + "-warmup", mode);
            System.out.printf("warm-up: a ZIP job of %d files x %,d rows %s in %.1f s%n", warmupFiles, rows,
                    warmup.status, seconds(warm));
            rowsSeen.set(0);

            System.gc();
            resetPeaks();
            Run run = run(context, jobs, bucket, "bench/archive.zip", TENANT, mode);
            System.gc();
            long oldAfterGc = oldGenUsed();
            double unpack = run.unpacked - run.claimed;
            double orchestration = run.ended - run.unpacked;
            System.out.printf("queued (job written to claimed by its start message): %.2f s%n", run.claimed);
            System.out.printf("unpack (claimed to files recorded on the job): %.1f s, %.1f files/s, %.1f MB/s%n",
                    unpack, files / unpack, unpackedBytes / 1e6 / unpack);
            System.out.printf("orchestration (files recorded to the ZIP job ended): %.1f s, %.2f files/s%n",
                    orchestration, files / orchestration);
            System.out.printf("whole import (%s, ZIP job %s): %.1f s, %.2f files/s, %,.0f rows/s; result %s%n", mode,
                    run.status, run.ended, files / run.ended, (double) files * rows / run.ended, run.result);
            perFile(jobs, run.id);
            System.out.printf("memory (-Xmx %s): old gen peak %.0f MB, heap peak %.0f MB (sampled), old gen after a "
                    + "full GC at the end %.0f MB%n", xmx(), peakOldGen() / 1e6, run.heapPeak / 1e6, oldAfterGc / 1e6);
            if (!apply) {
                System.out.printf("rows through the (counting) rows handler: %,d of %,d%n", rowsSeen.get(),
                        (long) files * rows);
            }
            System.out.printf("load after the run %s%n", load());
            exit = "COMPLETED".equals(run.status) ? 0 : 1;
        } catch (Exception e) {
            e.printStackTrace();
            exit = 2;
        } finally {
            main.stop();
            System.exit(exit);
        }
    }

    /**
     * Both modes' rows handlers count the rows on the job as csvRowsHandler does (read, queued, and here also
     * succeeded: nothing is queued to be applied) without transforming, validating or sending them.
     */
    private static void countOnly(CamelContext context, ImportJobs jobs, AtomicLong rowsSeen) throws Exception {
        AdviceWith.adviceWith(context, "import-direct", a -> a.weaveById(DirectImport.HANDLER_STEP)
                .replace().process(e -> {
                    JsonNode batch = e.getMessage().getBody(JsonNode.class);
                    long n = count(jobs, e.getMessage().getHeader(DirectImport.BATCH_KEY, String.class), batch);
                    rowsSeen.addAndGet(n);
                    e.getMessage().setBody(new BatchResult(n, n, 0, List.of()));
                }));
        AdviceWith.adviceWith(context, "import-csv-rows-handler", a -> a.weaveByType(BeanDefinition.class)
                .replace().process(e -> {
                    StepEvent step = e.getMessage().getBody(StepEvent.class);
                    long n = count(jobs, step.executionArn(), step.input());
                    rowsSeen.addAndGet(n);
                    e.getMessage().setBody("{\"totalRows\":" + n + ",\"succeededRows\":" + n + ",\"failedRows\":0}");
                }));
    }

    /** Counts a batch on its job once, under the mark csvRowsHandler uses, so the job completes as usual. */
    private static long count(ImportJobs jobs, String batchKey, JsonNode batch) {
        JsonNode items = batch.get("Items");
        long lastRow = 0;
        for (JsonNode item : items) {
            lastRow = Math.max(lastRow, item.path("index").asLong(-1) + 1);
        }
        long n = items.size();
        jobs.count(batch.at("/BatchInput/Attributes/sourceId").asText(), batchKey + "/read",
                new ImportJobs.Counts(n, n, n, 0, List.of(), lastRow));
        return n;
    }

    /** One ZIP job's times (seconds after its creation), its end and the heap's sampled peak. */
    private record Run(String id, double claimed, double unpacked, double ended, String status, JsonNode result,
                       long heapPeak) {
    }

    private static Run run(CamelContext context, ImportJobs jobs, String bucket, String key, String tenant,
                           String mode) throws InterruptedException {
        long start = System.nanoTime();
        String id = context.getRegistry().lookupByNameAndType(ZipImportApi.BEAN, ZipImportApi.class)
                .create(new ZipImportRequest(bucket, key, "sample", tenant, mode)).get("id").asText();
        double claimed = -1;
        double unpacked = -1;
        long heapPeak = 0;
        long deadline = start + 3_600_000_000_000L;
        while (System.nanoTime() < deadline) {
            heapPeak = Math.max(heapPeak, heapUsed());
            JsonNode job = jobs.get(id).orElseThrow();
            String status = job.get("status").asText();
            if (claimed < 0 && !List.of("CREATED", "QUEUED").contains(status)) {
                claimed = seconds(start);
            }
            if (unpacked < 0 && job.has("files")) {
                unpacked = seconds(start);
            }
            if (List.of("COMPLETED", "FAILED").contains(status)) {
                double ended = seconds(start);
                if (unpacked < 0) {
                    throw new IllegalStateException("The ZIP job " + id + " ended " + status + " before its files "
                            + "were recorded: " + job.get("result"));
                }
                return new Run(id, claimed, unpacked, ended, status, job.get("result"), heapPeak);
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("The ZIP job " + id + " did not end within an hour");
    }

    /**
     * Where the orchestration's time went, from the files' CSV jobs: each job's own time (written to ended, as its
     * {@code createdAt} and {@code updatedAt} tell) and the gap from one job's end to the next job's creation (the
     * job's stream record, the answer to the task token, the Map's next iteration, the trigger step).
     */
    private static void perFile(ImportJobs jobs, String zipId) {
        List<Double> own = new java.util.ArrayList<>();
        List<Double> gaps = new java.util.ArrayList<>();
        Instant previousEnd = null;
        for (JsonNode file : jobs.get(zipId).orElseThrow().path("files")) {
            JsonNode job = jobs.get(file.path("jobId").asText()).orElse(null);
            if (job == null) {
                continue;
            }
            Instant created = Instant.parse(job.path("createdAt").asText());
            Instant ended = Instant.parse(job.path("updatedAt").asText());
            own.add((ended.toEpochMilli() - created.toEpochMilli()) / 1e3);
            if (previousEnd != null) {
                gaps.add((created.toEpochMilli() - previousEnd.toEpochMilli()) / 1e3);
            }
            previousEnd = ended;
        }
        System.out.printf("per file: CSV job written to ended %s s; one job's end to the next one written %s s "
                + "(median / p90 / max)%n", spread(own), spread(gaps));
        System.out.printf("each file's CSV job, in order (s): %s%n", own.stream().map(t -> String.format("%.1f", t))
                .collect(java.util.stream.Collectors.joining(" ")));
    }

    private static String spread(List<Double> values) {
        if (values.isEmpty()) {
            return "-";
        }
        List<Double> sorted = values.stream().sorted().toList();
        return String.format("%.2f / %.2f / %.2f", sorted.get(sorted.size() / 2),
                sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.9) - 1)),
                sorted.get(sorted.size() - 1));
    }

    /** The archive, streamed to disk: file i is {@code f<i>.csv}, codes unique over the archive. */
    private static long write(Path archive, int files, int rows) throws Exception {
        long bytes = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(archive));
             ZipOutputStream zip = new ZipOutputStream(out)) {
            for (int f = 0; f < files; f++) {
                zip.putNextEntry(new ZipEntry(String.format("f%03d.csv", f)));
                StringBuilder csv = new StringBuilder("code,name,amount\n");
                for (int r = 0; r < rows; r++) {
                    csv.append('f').append(f).append('-').append(r).append(",Name ").append(r).append(',')
                            .append(r * 7 % 1000).append('\n');
                }
                byte[] data = csv.toString().getBytes(StandardCharsets.UTF_8);
                bytes += data.length;
                zip.write(data);
                zip.closeEntry();
            }
        }
        return bytes;
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static void resetPeaks() {
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static boolean oldGen(MemoryPoolMXBean pool) {
        return pool.getType() == MemoryType.HEAP && (pool.getName().contains("Old")
                || pool.getName().contains("Tenured"));
    }

    /** The old generation's peak use since the last reset (the heap that outlives requests). */
    private static long peakOldGen() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(ZipImportBenchmark::oldGen)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    private static long oldGenUsed() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(ZipImportBenchmark::oldGen)
                .mapToLong(p -> p.getUsage().getUsed()).sum();
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The -Xmx this JVM was given, or its default max heap. */
    private static String xmx() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-Xmx")).reduce((a, b) -> b).map(a -> a.substring(4))
                .orElse(String.format("default (%.0f MB)", Runtime.getRuntime().maxMemory() / 1e6));
    }

    private static String load() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " / " + parts[1] + " / " + parts[2];
        } catch (Exception e) {
            return "unknown";
        }
    }
}
