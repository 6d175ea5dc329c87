package io.cqrsworkers.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.aws.AwsClients;
import io.cqrsworkers.imports.BatchResult;
import io.cqrsworkers.imports.CsvRowsHandler;
import io.cqrsworkers.imports.DirectImport;
import io.cqrsworkers.imports.ImportJobs;
import io.cqrsworkers.imports.ImportRequest;
import io.cqrsworkers.imports.ImportStatus;
import io.cqrsworkers.workflow.StepEvent;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.model.BeanDefinition;
import org.apache.camel.main.Main;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.BufferedWriter;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CSV import throughput on the embedded default:
 * <ol>
 * <li>raw parse rate of a generated file streamed from S3 (commons-csv, the library DIRECT mode uses);</li>
 * <li>DIRECT mode (its route: aws2-s3, camel-csv, the streaming split, the items made per batch) parse + batch +
 *     dispatch of the same file to 50 concurrent no-op batch handlers in place of csvRowsHandler, its ratio to (1)
 *     and the old generation's peak (run with -Xmx256m: the file is about 100 MB for 1,000,000 rows). (1) and (2)
 *     alternate for {@code -Dbench.rounds} rounds (default 3), each printed with the machine's load, then the
 *     median ratios: of the wall-clock rates, and of the rows per CPU-second of the whole process (on a shared
 *     machine the wall clock measures mostly the share of the CPU a run got);</li>
 * <li>STEP_FUNCTION mode read + batch + dispatch on the embedded engine (Distributed Map, one child execution per
 *     batch, csv_rows_handler answering at once), and its ratio to (1);</li>
 * <li>rows/s until every row is applied as a command write (job COMPLETED), DIRECT and STEP_FUNCTION mode, started
 *     like the API does (import row, stream, import action queue), with the old generation's peak of that run.</li>
 * </ol>
 * <pre>
 * mvn -q -o -B test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -Xmx256m -cp "target/test-classes:target/classes:$(cat target/cp.txt)" \
 *   io.cqrsworkers.bench.ImportBenchmark [parseRows=1000000] [appliedRows=20000] [stepFunctionRows=100000]
 * </pre>
 * appliedRows or stepFunctionRows 0 leaves out (4) or (3).
 * The embedded AWS holds every table in memory, so a run that applies many rows puts it in a child JVM with
 * {@code -Dbench.separate-aws=<heap, e.g. 6g>}: the heap figures are then the service's own, as in AWS.
 * {@code -Dbench.apply-modes=DIRECT} applies in DIRECT mode only (default: DIRECT,STEP_FUNCTION).
 */
public final class ImportBenchmark {

    public static void main(String[] args) throws Exception {
        int parseRows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int appliedRows = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int stepRows = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        String separateAws = System.getProperty("bench.separate-aws");
        Main main = separateAws == null ? BenchService.start() : BenchService.startWithSeparateAws(separateAws);
        Path data = Files.createTempDirectory("import-bench");
        try {
            CamelContext context = main.getCamelContext();
            AwsClients aws = context.getRegistry().lookupByNameAndType("awsClients", AwsClients.class);
            String bucket = context.resolvePropertyPlaceholders("{{bucket:bucket}}");
            ImportJobs jobs = context.getRegistry().lookupByNameAndType(ImportJobs.BEAN, ImportJobs.class);

            Path big = generate(data.resolve("big.csv"), parseRows);
            aws.s3().putObject(b -> b.bucket(bucket).key("bench/big.csv"), RequestBody.fromFile(big));
            Files.delete(big);
            System.out.printf("file: %,d rows; max heap %.0f MB%n", parseRows, Runtime.getRuntime().maxMemory() / 1e6);

            AtomicLong dispatched = new AtomicLong();
            AdviceWith.adviceWith(context, "import-direct", a -> a.weaveById(DirectImport.HANDLER_STEP).replace()
                    .process(e -> {
                        JsonNode batch = e.getMessage().getBody(JsonNode.class);
                        if (!"bench".equals(batch.at("/BatchInput/Attributes/tenantCode").asText())) {
                            // the applied runs below go through the real handler
                            e.getMessage().setBody(context.getRegistry().lookupByNameAndType(CsvRowsHandler.BEAN,
                                    CsvRowsHandler.class).handle(e.getMessage().getHeader(DirectImport.BATCH_KEY,
                                    String.class), batch));
                            return;
                        }
                        long n = batch.get("Items").size();
                        dispatched.addAndGet(n);
                        e.getMessage().setBody(new BatchResult(n, n, 0, List.of()));
                    }));
            // raw parse and DIRECT alternate, so both get the same JIT warmth and, on a shared machine, a like share
            // of its load; wall-clock rates and the process's CPU time per row, the ratio of each per round
            int rounds = Integer.getInteger("bench.rounds", 3);
            List<Double> rawRates = new ArrayList<>();
            List<Double> wallRatios = new ArrayList<>();
            List<Double> cpuRatios = new ArrayList<>();
            long directPeak = 0;
            for (int round = 1; round <= rounds; round++) {
                Timing raw = timed(() -> rawParse(aws, bucket));
                resetPeaks();
                dispatched.set(0);
                ImportRequest request = new ImportRequest("DIRECT", bucket, "bench/big.csv", "sample", "bench", null);
                ObjectNode job = jobs.create(request, ImportStatus.PROCESSING);
                Timing direct = timed(() -> {
                    context.createProducerTemplate().requestBodyAndHeader(DirectImport.URI,
                            request.withSourceId(job.get("id").asText()), DirectImport.RESUME, false);
                    return dispatched.get();
                });
                directPeak = Math.max(directPeak, peakHeap());
                rawRates.add(raw.rate());
                wallRatios.add(direct.rate() / raw.rate());
                cpuRatios.add(direct.cpuRate() / raw.cpuRate());
                System.out.printf("round %d  raw parse (commons-csv from S3): %,10.0f rows/s (%,10.0f per CPU-s)   "
                                + "DIRECT parse + batch + dispatch (50): %,10.0f rows/s (%,10.0f per CPU-s)   "
                                + "ratio %.2f (CPU %.2f)  load %s%n", round, raw.rate(), raw.cpuRate(), direct.rate(),
                        direct.cpuRate(), direct.rate() / raw.rate(), direct.cpuRate() / raw.cpuRate(), load());
            }
            System.out.printf("DIRECT / raw parse, median of %d rounds: %.2f wall-clock, %.2f CPU time; "
                    + "old-gen peak %.0f MB%n", rounds, median(wallRatios), median(cpuRatios), directPeak / 1e6);
            double raw = median(rawRates);
            long start;

            Path small = generate(data.resolve("small.csv"), appliedRows);
            aws.s3().putObject(b -> b.bucket(bucket).key("bench/small.csv"), RequestBody.fromFile(small));
            String applyModes = appliedRows > 0 ? System.getProperty("bench.apply-modes", "DIRECT,STEP_FUNCTION") : "";
            for (String mode : applyModes.isEmpty() ? new String[0] : applyModes.split(",")) {
                resetPeaks();
                start = System.nanoTime();
                JsonNode done = finish(jobs, jobs.create(new ImportRequest(mode, bucket, "bench/small.csv",
                        "sample", "applied-" + mode.toLowerCase(), null), ImportStatus.CREATED).get("id").asText());
                System.out.printf("%-13s every row applied:        %,10.0f rows/s  (%,d rows, %s, %d failed; "
                                + "old-gen peak %.0f MB; load %s)%n", mode,
                        done.get("succeededRows").asLong() / seconds(start), appliedRows, done.get("status").asText(),
                        done.get("failedRows").asLong(), peakHeap() / 1e6, load());
            }

            if (stepRows > 0) {
                // csv_rows_handler answering at once: the engine's read + batch + dispatch alone
                AtomicLong stepRowsSeen = new AtomicLong();
                AdviceWith.adviceWith(context, "import-csv-rows-handler", a -> a.weaveByType(BeanDefinition.class)
                        .replace().process(e -> {
                            long n = e.getMessage().getBody(StepEvent.class).input().get("Items").size();
                            stepRowsSeen.addAndGet(n);
                            e.getMessage().setBody("{\"totalRows\":" + n + ",\"succeededRows\":" + n
                                    + ",\"failedRows\":0}");
                        }));
                Path step = generate(data.resolve("step.csv"), stepRows);
                aws.s3().putObject(b -> b.bucket(bucket).key("bench/step.csv"), RequestBody.fromFile(step));
                start = System.nanoTime();
                finish(jobs, jobs.create(new ImportRequest("STEP_FUNCTION", bucket, "bench/step.csv", "sample",
                        "step-dispatch", null), ImportStatus.CREATED).get("id").asText());
                double stepRate = stepRowsSeen.get() / seconds(start);
                System.out.printf("STEP_FUNCTION read + batch + dispatch:    %,10.0f rows/s  ratio %.2f to the median raw "
                        + "parse  (%,d rows; load %s)%n", stepRate, stepRate / raw, stepRowsSeen.get(), load());
            }
        } finally {
            main.stop();
        }
        // KCL leaves non-daemon threads behind when its consumers stop
        System.exit(0);
    }

    /** Rows done in a run, its wall-clock time and the CPU time of the whole process (every thread) meanwhile. */
    private record Timing(long rows, double seconds, double cpuSeconds) {
        double rate() {
            return rows / seconds;
        }

        double cpuRate() {
            return rows / cpuSeconds;
        }
    }

    private static Timing timed(java.util.concurrent.Callable<Long> run) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        long start = System.nanoTime();
        long rows = run.call();
        return new Timing(rows, seconds(start), (os.getProcessCpuTime() - cpu) / 1e9);
    }

    /** The file parsed as fast as commons-csv reads it from S3, each record touched. */
    private static long rawParse(AwsClients aws, String bucket) throws Exception {
        long parsed = 0;
        try (InputStream in = aws.s3().getObject(b -> b.bucket(bucket).key("bench/big.csv"));
             CSVParser parser = CSVParser.builder().setReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                     .setFormat(CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()).get()) {
            for (CSVRecord ignored : parser) {
                parsed++;
            }
        }
        return parsed;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The machine's load averages (1, 5, 15 minutes), as uptime shows them. */
    static String load() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (Exception e) {
            return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static JsonNode finish(ImportJobs jobs, String id) throws InterruptedException {
        JsonNode done;
        do {
            Thread.sleep(100);
            done = jobs.get(id).orElseThrow();
        } while (!List.of("COMPLETED", "FAILED").contains(done.get("status").asText()));
        return done;
    }

    /** About 100 bytes a row, with a quoted field holding a comma. */
    private static Path generate(Path file, int rows) throws Exception {
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write("code,name,city,note\n");
            for (int i = 0; i < rows; i++) {
                out.write("code-" + i + ",Name number " + i + ",\"Berlin, DE\","
                        + "some free text to bring the row to roughly one hundred bytes " + (i % 97) + "\n");
            }
        }
        return file;
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static void resetPeaks() {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    /**
     * The old generation's peak: what survived young collections, so the retained set and promoted garbage. The
     * heap pools peak at different moments, so summing their peaks would overstate it; the young generation only
     * holds short-lived objects and is bounded by -Xmx.
     */
    private static long peakHeap() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.getName().matches(".*(Old|Tenured).*"))
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }
}
