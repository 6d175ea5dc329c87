package io.cqrsworkers.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.aws.AwsClients;
import io.cqrsworkers.imports.BatchResult;
import io.cqrsworkers.imports.CsvRowsHandler;
import io.cqrsworkers.imports.DirectImport;
import io.cqrsworkers.imports.ImportJobs;
import io.cqrsworkers.imports.ZipImportApi;
import io.cqrsworkers.imports.ZipImportRequest;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.main.Main;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * ZIP imports: an archive of {@code files} CSV files of {@code rows} rows each (default 100 x 10,000), imported
 * through the service as the API starts it (ZIP job, import stream, import action queue, unpack, the import-zip
 * orchestrator, one CSV job after the other). Prints the unpacking (files/s, MB/s) and the orchestration (files/s)
 * with the heap's old-generation peak. By default the DIRECT rows handler only counts the rows (the orchestration's
 * own cost); {@code -Dbench.apply=true} applies every row (1,000,000 rows take minutes: see ImportBenchmark for rows/s).
 * <pre>
 * java -cp ... io.cqrsworkers.bench.ZipImportBenchmark 100 10000 DIRECT
 * </pre>
 */
public final class ZipImportBenchmark {

    private ZipImportBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int files = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        String mode = args.length > 2 ? args[2] : "DIRECT";
        boolean apply = Boolean.getBoolean("bench.apply");
        String separateAws = System.getProperty("bench.separate-aws");
        Main main = separateAws == null ? BenchService.start() : BenchService.startWithSeparateAws(separateAws);
        try {
            CamelContext context = main.getCamelContext();
            AwsClients aws = context.getRegistry().lookupByNameAndType("awsClients", AwsClients.class);
            String bucket = context.resolvePropertyPlaceholders("{{bucket:bucket}}");
            ImportJobs jobs = context.getRegistry().lookupByNameAndType(ImportJobs.BEAN, ImportJobs.class);
            AtomicLong rowsSeen = new AtomicLong();
            if (!apply) {
                AdviceWith.adviceWith(context, "import-direct", a -> a.weaveById(DirectImport.HANDLER_STEP)
                        .replace().process(e -> {
                            long n = e.getMessage().getBody(JsonNode.class).get("Items").size();
                            rowsSeen.addAndGet(n);
                            e.getMessage().setBody(new BatchResult(n, n, 0, List.of()));
                        }));
                AdviceWith.adviceWith(context, "import-csv-rows-handler", a -> a.weaveByType(
                        org.apache.camel.model.BeanDefinition.class).replace().process(e -> {
                            long n = e.getMessage().getBody(io.cqrsworkers.workflow.StepEvent.class).input()
                                    .get("Items").size();
                            rowsSeen.addAndGet(n);
                            e.getMessage().setBody("{\"totalRows\":" + n + ",\"succeededRows\":" + n
                                    + ",\"failedRows\":0}");
                        }));
            }

            Path archive = Files.createTempFile("zip-bench", ".zip");
            long unpackedBytes = write(archive, files, rows);
            aws.s3().putObject(b -> b.bucket(bucket).key("bench/archive.zip"), RequestBody.fromFile(archive));
            System.out.printf("archive: %d files x %,d rows, %.1f MB zipped, %.1f MB unpacked; max heap %.0f MB;"
                            + " rows %s%n", files, rows, Files.size(archive) / 1e6, unpackedBytes / 1e6,
                    Runtime.getRuntime().maxMemory() / 1e6, apply ? "applied" : "counted only");
            Files.delete(archive);

            resetPeaks();
            long start = System.nanoTime();
            String id = context.getRegistry().lookupByNameAndType(ZipImportApi.BEAN, ZipImportApi.class)
                    .create(new ZipImportRequest(bucket, "bench/archive.zip", "sample", "zipbench", mode))
                    .get("id").asText();
            while (!jobs.get(id).orElseThrow().has("files")) {
                failIfEnded(jobs, id);
                Thread.sleep(20);
            }
            double unpack = seconds(start);
            System.out.printf("unpacked (job written to files recorded):  %6.1f files/s  %6.1f MB/s  (%.1f s)  "
                    + "old-gen peak %.0f MB%n", files / unpack, unpackedBytes / 1e6 / unpack, unpack, peak() / 1e6);
            while (!List.of("COMPLETED", "FAILED").contains(jobs.get(id).orElseThrow().get("status").asText())) {
                Thread.sleep(50);
            }
            double total = seconds(start);
            JsonNode job = jobs.get(id).orElseThrow();
            System.out.printf("imported (%s, %s): %6.2f files/s  %,8.0f rows/s  (%.1f s in all)  "
                            + "old-gen peak %.0f MB; result %s%n", mode, job.get("status").asText(), files / total,
                    (double) files * rows / total, total, peak() / 1e6, job.get("result"));
            if (!apply) {
                System.out.printf("rows through the (counting) rows handler: %,d%n", rowsSeen.get());
            }
        } finally {
            main.stop();
            System.exit(0);
        }
    }

    private static void failIfEnded(ImportJobs jobs, String id) {
        JsonNode job = jobs.get(id).orElseThrow();
        if (job.get("status").asText().equals("FAILED")) {
            throw new IllegalStateException("The ZIP job failed: " + job.get("result"));
        }
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
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    /** The old generation's peak use since the last reset (the heap that outlives requests). */
    private static long peak() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && (p.getName().contains("Old")
                        || p.getName().contains("Tenured")))
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }
}
