package io.cqrsworkers.localaws.dynamodb;

import io.cqrsworkers.localaws.dynamodb.model.Av;
import io.cqrsworkers.localaws.dynamodb.model.Item;
import io.cqrsworkers.localaws.dynamodb.store.Database;
import io.cqrsworkers.localaws.dynamodb.store.KeySchema;
import io.cqrsworkers.localaws.dynamodb.store.RowKey;
import io.cqrsworkers.localaws.dynamodb.store.Table;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;

/**
 * Throughput, p99 latency and server CPU per request of PutItem, GetItem, UpdateItem with a condition, Query (and,
 * ours only, PutItem on a table with a stream and GetRecords) with 1 and 8 clients, this emulator against dynalite (npm) on the same machine; then, with
 * {@code memory}, what 1,000,000 small items cost each. Not a test (surefire skips *Benchmark). Run with:
 *
 * <pre>
 * mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *     io.cqrsworkers.localaws.dynamodb.DynamoDbBenchmark [secondsPerRun [rounds]] | client | memory [items]
 * </pre>
 *
 * <p>So that the SERVERS are measured: both run as child processes (ours a JVM with {@code -Xmx1g} and the JVM
 * options of {@code -Dbench.serverJvm=...}, e.g. {@code -XX:StartFlightRecording=filename=target/ours.jfr}), and the
 * client is raw HTTP/1.1 over plain blocking sockets: one keep-alive connection per client thread, every request
 * (headers, SigV4 signature and body) serialized once before the clock starts, the response read up to its
 * Content-Length and not parsed beyond its status. {@code client} measures that client against a trivial server (a canned answer) to show its own
 * ceiling and CPU per request; every run also prints the client's CPU per request beside the server's (the
 * process's CPU time, read from the OS, over the requests served). The two servers take turns (ours, dynalite,
 * ours, dynalite, ...) on every operation, so load from elsewhere on the machine hits both alike; the table shows
 * the median of the rounds.
 *
 * <p>{@code -Dbench.servers=ours,ours+data,dynalite} (default {@code ours,dynalite}) picks the servers: ours+data is
 * ours with a journal in a temporary data directory (dynalite keeps its data in memory by default, as ours does
 * without a data directory). {@code -Dbench.ops=PutItem,GetItem} and {@code -Dbench.clients=1,8} narrow the runs.
 *
 * <p>dynalite is installed with npm into target/dynalite on first use; without npm or network it is skipped.
 * dynalite has no DynamoDB Streams: the compared operations run on a table without a stream on both; ours also runs
 * PutItem on a second table with a NEW_AND_OLD_IMAGES stream (what a stream record costs) and GetRecords on it.
 */
public final class DynamoDbBenchmark {

    private static final String[] OPS = System.getProperty("bench.ops",
            "PutItem,GetItem,UpdateItem+condition,Query,PutItem+stream,GetRecords").split(",");
    private static final int[] CLIENTS = Arrays.stream(System.getProperty("bench.clients", "1,8").split(","))
            .mapToInt(Integer::parseInt).toArray();
    private static final int KEYS = 10_000;
    private static final double GOAL = 3.0;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private record Result(double opsPerSecond, double p99Millis, double serverCpuMicros, double clientCpuMicros,
                          long errors, double serverSystemShare) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("memory")) {
            int n = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
            measureMemoryInProcess(n);
            measureMemoryOverHttp(n);
            System.exit(0);
        }
        if (args.length > 0 && args[0].equals("client")) {
            measureClient(args.length > 1 ? Integer.parseInt(args[1]) : 3);
            System.exit(0);
        }
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        System.out.printf("machine: %d cores, load average %.1f%n", Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        List<Server> servers = new ArrayList<>();
        try {
            List<String> wanted = List.of(System.getProperty("bench.servers", "ours,dynalite").split(","));
            for (String name : wanted) {
                Server s = switch (name) {
                    case "ours" -> Server.ours(false);
                    case "ours+data" -> Server.ours(true);
                    case "dynalite" -> Server.dynalite();
                    default -> throw new IllegalArgumentException("bench.servers: ours, ours+data, dynalite");
                };
                if (s != null) {
                    servers.add(s);
                }
            }
            for (Server s : servers) {
                s.load();
            }
            // warm-up: the JIT of our server (and V8's) sees every operation under both loads before any clock runs
            for (Server s : servers) {
                for (String op : OPS) {
                    if (s.supports(op)) {
                        run(s, op, 8, 2);
                        run(s, op, 1, 1);
                    }
                }
            }
            // by operation and client count, then by server
            Map<String, Map<String, List<Result>>> results = new LinkedHashMap<>();
            for (int threads : CLIENTS) {
                for (String op : OPS) {
                    String key = op + " x" + threads;
                    for (int round = 0; round < rounds; round++) {
                        for (Server s : servers) {
                            if (!s.supports(op)) {
                                continue;
                            }
                            Result r = run(s, op, threads, seconds);
                            results.computeIfAbsent(key, k -> new LinkedHashMap<>())
                                    .computeIfAbsent(s.name, k -> new ArrayList<>()).add(r);
                            System.out.printf("  %-9s %-24s %9.0f op/s  p99 %6.2f ms  server %7.1f us/op (%2.0f%% "
                                            + "in the kernel)  client %5.1f us/op%s%n", s.name, key, r.opsPerSecond(),
                                    r.p99Millis(), r.serverCpuMicros(), 100 * r.serverSystemShare(),
                                    r.clientCpuMicros(),
                                    r.errors() > 0 ? "  ERRORS " + r.errors() : "");
                        }
                    }
                }
            }
            System.out.printf("%nmedian of %d rounds of %d s, load average now %.1f; us/op: the server process's CPU "
                            + "per request; ratio: op/s ours / dynalite; cpu: us/op dynalite / ours%n", rounds, seconds,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            System.out.printf("%-24s %-9s | %9s %7s %7s | %9s %7s %7s | %6s %6s | %s%n", "operation / clients",
                    "server", "op/s", "p99 ms", "us/op", "dyn. op/s", "p99 ms", "us/op", "ratio", "cpu", "goal 3x");
            for (Map.Entry<String, Map<String, List<Result>>> e : results.entrySet()) {
                List<Result> dyn = e.getValue().get("dynalite");
                Result b = dyn == null ? null : median(dyn);
                for (Map.Entry<String, List<Result>> mine : e.getValue().entrySet()) {
                    if (mine.getKey().equals("dynalite")) {
                        continue;
                    }
                    Result a = median(mine.getValue());
                    System.out.printf("%-24s %-9s | %9.0f %7.2f %7.1f | %9s %7s %7s | %6s %6s | %s%n", e.getKey(),
                            mine.getKey(), a.opsPerSecond(), a.p99Millis(), a.serverCpuMicros(),
                            b == null ? "n/a" : String.format("%.0f", b.opsPerSecond()),
                            b == null ? "n/a" : String.format("%.2f", b.p99Millis()),
                            b == null ? "n/a" : String.format("%.1f", b.serverCpuMicros()),
                            b == null ? "" : String.format("%.1fx", a.opsPerSecond() / b.opsPerSecond()),
                            b == null ? "" : String.format("%.1fx", b.serverCpuMicros() / a.serverCpuMicros()),
                            b == null ? "" : a.opsPerSecond() / b.opsPerSecond() >= GOAL ? "met" : "NOT met");
                }
            }
        } finally {
            servers.forEach(Server::close);
        }
        System.exit(0);
    }

    /** The median of each figure on its own. */
    private static Result median(List<Result> rs) {
        double[] ops = rs.stream().mapToDouble(Result::opsPerSecond).sorted().toArray();
        double[] p99 = rs.stream().mapToDouble(Result::p99Millis).sorted().toArray();
        double[] srv = rs.stream().mapToDouble(Result::serverCpuMicros).sorted().toArray();
        double[] cli = rs.stream().mapToDouble(Result::clientCpuMicros).sorted().toArray();
        int m = rs.size() / 2;
        return new Result(ops[m], p99[m], srv[m], cli[m], rs.stream().mapToLong(Result::errors).sum(),
                rs.get(m).serverSystemShare());
    }

    // ---------------------------------------------------------------- the servers

    private static final class Server implements AutoCloseable {
        final String name;
        final boolean ours;
        final Process process;
        final int port;
        final Map<String, byte[][]> requests = new LinkedHashMap<>();
        final Path dataDir;

        private Server(String name, boolean ours, Process process, int port, Path dataDir) {
            this.name = name;
            this.ours = ours;
            this.process = process;
            this.port = port;
            this.dataDir = dataDir;
        }

        static Server ours(boolean withDataDir) throws Exception {
            int port = freePort();
            List<String> cmd = new ArrayList<>();
            cmd.add(ProcessHandle.current().info().command().orElse("java"));
            cmd.add("-Xmx1g");
            String extra = System.getProperty("bench.serverJvm", "").trim();
            if (!extra.isEmpty()) {
                cmd.addAll(Arrays.asList(extra.split("\\s+")));
            }
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), DynamoDbEmulator.class.getName(),
                    String.valueOf(port)));
            Path dir = null;
            if (withDataDir) {
                dir = Files.createTempDirectory("ddb-bench");
                cmd.add(dir.toString());
            }
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(new File("target/ours-bench.log")).start();
            awaitPort(p, port);
            return new Server(withDataDir ? "ours+data" : "ours", true, p, port, dir);
        }

        static Server dynalite() {
            try {
                Path dir = Path.of("target", "dynalite");
                Path cli = dir.resolve("node_modules/dynalite/cli.js");
                if (!Files.exists(cli)) {
                    Files.createDirectories(dir);
                    Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "dynalite@4.0.0")
                            .directory(dir.toFile()).inheritIO().start();
                    if (npm.waitFor() != 0 || !Files.exists(cli)) {
                        System.out.println("npm install dynalite failed: skipping dynalite");
                        return null;
                    }
                }
                int port = freePort();
                // --createTableMs 0: the table is ACTIVE at once, as ours
                Process p = new ProcessBuilder("node", cli.toString(), "--port", String.valueOf(port),
                        "--createTableMs", "0").redirectErrorStream(true)
                        .redirectOutput(new File("target/dynalite.log")).start();
                awaitPort(p, port);
                return new Server("dynalite", false, p, port, null);
            } catch (Exception e) {
                System.out.println("npm/node unavailable (" + e.getMessage() + "): skipping dynalite");
                return null;
            }
        }

        private static int freePort() throws IOException {
            try (ServerSocket s = new ServerSocket(0)) {
                return s.getLocalPort();
            }
        }

        private static void awaitPort(Process p, int port) throws Exception {
            long deadline = System.currentTimeMillis() + 120_000;
            while (System.currentTimeMillis() < deadline && p.isAlive()) {
                try (Socket ignored = new Socket("127.0.0.1", port)) {
                    return;
                } catch (IOException notYet) {
                    Thread.sleep(100);
                }
            }
            p.destroyForcibly();
            throw new IOException("server on port " + port + " did not start");
        }

        URI endpoint() {
            return URI.create("http://127.0.0.1:" + port);
        }

        boolean supports(String op) {
            return requests.containsKey(op);
        }

        long cpuNanos() {
            return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
        }

        /** User and system CPU ticks of the process (/proc/pid/stat fields 14 and 15). */
        long[] userSystemTicks() {
            try {
                String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
            } catch (IOException | RuntimeException e) {
                return new long[] {0, 0};
            }
        }

        long rssKb() throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return -1;
        }

        /** Creates the table, writes {@link #KEYS} items and serializes every benchmark request. */
        void load() throws Exception {
            // "bench" as dynalite has it (no stream); on ours also "streamed", with a stream, for PutItem+stream and
            // GetRecords
            List<String> tables = ours ? List.of("bench", "streamed") : List.of("bench");
            try (DynamoDbClient ddb = DynamoDbClient.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
                    .credentialsProvider(TestSupport.CREDENTIALS).build()) {
                for (String name : tables) {
                    var table = TestSupport.table(name, ScalarAttributeType.N);
                    if (name.equals("streamed")) {
                        table.streamSpecification(StreamSpecification.builder().streamEnabled(true)
                                .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES).build());
                    }
                    ddb.createTable(table.build());
                    ddb.waiter().waitUntilTableExists(r -> r.tableName(name));
                }
            }
            try (RawClient c = new RawClient(port)) {
                for (String table : tables) {
                    for (int i = 0; i < KEYS; i += 25) {
                        StringBuilder b = new StringBuilder("{\"RequestItems\":{\"" + table + "\":[");
                        for (int j = i; j < i + 25; j++) {
                            b.append(j > i ? "," : "").append("{\"PutRequest\":{\"Item\":").append(item(j))
                                    .append("}}");
                        }
                        int status = c.call(request(port, "DynamoDB_20120810.BatchWriteItem",
                                b.append("]}}").toString()));
                        if (status != 200) {
                            throw new IllegalStateException(name + ": BatchWriteItem answered " + status + ": "
                                    + c.body());
                        }
                    }
                }
            }
            if (ours) {
                requests.put("PutItem+stream", many(8 * KEYS, i -> request(port, "DynamoDB_20120810.PutItem",
                        "{\"TableName\":\"streamed\",\"Item\":" + item(i % KEYS, i / KEYS) + "}")));
            }
            // 8 versions of every item: 7 puts in 8 change the item (a put of the same item writes nothing)
            requests.put("PutItem", many(8 * KEYS, i -> request(port, "DynamoDB_20120810.PutItem",
                    "{\"TableName\":\"bench\",\"Item\":" + item(i % KEYS, i / KEYS) + "}")));
            requests.put("GetItem", many(KEYS, i -> request(port, "DynamoDB_20120810.GetItem",
                    "{\"TableName\":\"bench\",\"Key\":" + key(i) + "}")));
            requests.put("UpdateItem+condition", many(KEYS, i -> request(port, "DynamoDB_20120810.UpdateItem",
                    "{\"TableName\":\"bench\",\"Key\":" + key(i) + ",\"UpdateExpression\":\"SET v = v + :one\","
                            + "\"ConditionExpression\":\"attribute_exists(pk) AND v >= :zero\","
                            + "\"ExpressionAttributeValues\":{\":one\":{\"N\":\"1\"},\":zero\":{\"N\":\"0\"}}}")));
            requests.put("Query", many(100, i -> request(port, "DynamoDB_20120810.Query",
                    "{\"TableName\":\"bench\",\"KeyConditionExpression\":\"pk = :p AND sk > :s\","
                            + "\"ExpressionAttributeValues\":{\":p\":{\"S\":\"user-" + i + "\"},\":s\":{\"N\":\"0\"}},"
                            + "\"Limit\":10}")));
            if (ours) {
                // one TRIM_HORIZON iterator, read again and again: every call answers the same full page of 100
                try (DynamoDbStreamsClient sc = DynamoDbStreamsClient.builder().endpointOverride(endpoint())
                        .region(Region.US_EAST_1).credentialsProvider(TestSupport.CREDENTIALS).build()) {
                    String arn = sc.listStreams(r -> r.tableName("streamed")).streams().get(0).streamArn();
                    String shard = sc.describeStream(r -> r.streamArn(arn)).streamDescription().shards().get(0)
                            .shardId();
                    String iterator = sc.getShardIterator(r -> r.streamArn(arn).shardId(shard)
                            .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
                    requests.put("GetRecords", many(1, i -> request(port, "DynamoDBStreams_20120810.GetRecords",
                            "{\"ShardIterator\":\"" + iterator + "\",\"Limit\":100}")));
                }
            }
        }

        @Override
        public void close() {
            process.destroy();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String key(int i) {
        return "{\"pk\":{\"S\":\"user-" + (i % 100) + "\"},\"sk\":{\"N\":\"" + i + "\"}}";
    }

    private static String item(int i) {
        return item(i, 0);
    }

    private static String item(int i, int version) {
        return "{\"pk\":{\"S\":\"user-" + (i % 100) + "\"},\"sk\":{\"N\":\"" + i + "\"},\"v\":{\"N\":\"" + version
                + "\"},\"data\":{\"S\":\"payload-" + i + "\"}}";
    }

    private static byte[][] many(int n, IntFunction<byte[]> f) {
        byte[][] out = new byte[n][];
        for (int i = 0; i < n; i++) {
            out[i] = f.apply(i);
        }
        return out;
    }

    // ---------------------------------------------------------------- the raw client

    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    /** A whole HTTP request as the SDK would send it, signed with SigV4 (key "test", secret "test"). */
    static byte[] request(int port, String target, String json) {
        try {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            String host = "127.0.0.1:" + port;
            String date = ZonedDateTime.now(ZoneOffset.UTC).format(AMZ_DATE);
            String day = date.substring(0, 8);
            String signed = "content-type;host;x-amz-date;x-amz-target";
            String canonical = "POST\n/\n\ncontent-type:application/x-amz-json-1.0\nhost:" + host + "\nx-amz-date:"
                    + date + "\nx-amz-target:" + target + "\n\n" + signed + "\n" + hex(sha256(body));
            String scope = day + "/us-east-1/dynamodb/aws4_request";
            String toSign = "AWS4-HMAC-SHA256\n" + date + "\n" + scope + "\n"
                    + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
            byte[] k = hmac(("AWS4test").getBytes(StandardCharsets.UTF_8), day);
            k = hmac(hmac(hmac(k, "us-east-1"), "dynamodb"), "aws4_request");
            String auth = "AWS4-HMAC-SHA256 Credential=test/" + scope + ", SignedHeaders=" + signed + ", Signature="
                    + hex(hmac(k, toSign));
            String head = "POST / HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/x-amz-json-1.0\r\n"
                    + "X-Amz-Target: " + target + "\r\nX-Amz-Date: " + date + "\r\nAuthorization: " + auth + "\r\n"
                    + "User-Agent: raw-bench\r\nContent-Length: " + body.length + "\r\n\r\n";
            byte[] h = head.getBytes(StandardCharsets.US_ASCII);
            byte[] all = Arrays.copyOf(h, h.length + body.length);
            System.arraycopy(body, 0, all, h.length, body.length);
            return all;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }

    private static byte[] hmac(byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** One keep-alive connection: writes a prepared request, reads the status and the body by its Content-Length. */
    static final class RawClient implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private byte[] buf = new byte[1 << 16];
        private int bodyStart;
        private int bodyLength;

        RawClient(int port) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        /** Sends {@code request} and reads the whole answer; returns its status. */
        int call(byte[] request) throws IOException {
            out.write(request);
            int filled = 0;
            int headerEnd = -1;
            while (headerEnd < 0) {
                int n = in.read(buf, filled, buf.length - filled);
                if (n < 0) {
                    throw new IOException("connection closed");
                }
                int from = Math.max(0, filled - 3);
                filled += n;
                for (int i = from; i + 3 < filled; i++) {
                    if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') {
                        headerEnd = i + 4;
                        break;
                    }
                }
                if (headerEnd < 0 && filled == buf.length) {
                    buf = Arrays.copyOf(buf, buf.length * 2);
                }
            }
            int status = (buf[9] - '0') * 100 + (buf[10] - '0') * 10 + (buf[11] - '0');
            bodyLength = contentLength(headerEnd);
            bodyStart = headerEnd;
            int total = headerEnd + bodyLength;
            if (total > buf.length) {
                buf = Arrays.copyOf(buf, total);
            }
            while (filled < total) {
                int n = in.read(buf, filled, total - filled);
                if (n < 0) {
                    throw new IOException("connection closed");
                }
                filled += n;
            }
            return status;
        }

        private int contentLength(int headerEnd) throws IOException {
            byte[] name = "\ncontent-length:".getBytes(StandardCharsets.US_ASCII);
            outer:
            for (int i = 0; i + name.length < headerEnd; i++) {
                for (int j = 0; j < name.length; j++) {
                    if (Character.toLowerCase(buf[i + j]) != name[j]) {
                        continue outer;
                    }
                }
                int v = 0;
                for (int p = i + name.length; buf[p] != '\r'; p++) {
                    if (buf[p] >= '0' && buf[p] <= '9') {
                        v = v * 10 + buf[p] - '0';
                    }
                }
                return v;
            }
            throw new IOException("no Content-Length in the answer");
        }

        String body() {
            return new String(buf, bodyStart, bodyLength, StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** {@code threads} clients, each on its own connection, send random prepared requests of {@code op}. */
    private static Result run(Server server, String op, int threads, int seconds) throws Exception {
        long[] ticks0 = server.userSystemTicks();
        Result r = run(server.port, server.requests.get(op), threads, seconds, server::cpuNanos);
        long[] ticks1 = server.userSystemTicks();
        long user = ticks1[0] - ticks0[0];
        long system = ticks1[1] - ticks0[1];
        return new Result(r.opsPerSecond(), r.p99Millis(), r.serverCpuMicros(), r.clientCpuMicros(), r.errors(),
                user + system == 0 ? 0 : system / (double) (user + system));
    }

    private static Result run(int port, byte[][] requests, int threads, int seconds,
                              java.util.function.LongSupplier serverCpu) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        long[][] latencies = new long[threads][];
        int[] counts = new int[threads];
        long[] errors = new long[threads];
        long[] clientCpu = new long[threads];
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        List<RawClient> clients = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            clients.add(new RawClient(port));
        }
        for (int t = 0; t < threads; t++) {
            long[] lat = new long[2_000_000];
            latencies[t] = lat;
            int index = t;
            RawClient c = clients.get(t);
            Thread th = new Thread(() -> {
                int n = 0;
                try {
                    ready.countDown();
                    go.await();
                    long cpu0 = THREADS.getCurrentThreadCpuTime();
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    while (!stop.get() && n < lat.length) {
                        byte[] req = requests[random.nextInt(requests.length)];
                        long start = System.nanoTime();
                        int status = c.call(req);
                        lat[n++] = System.nanoTime() - start;
                        if (status != 200) {
                            if (errors[index]++ == 0) {
                                System.out.println("    answer " + status + ": " + c.body());
                            }
                        }
                    }
                    clientCpu[index] = THREADS.getCurrentThreadCpuTime() - cpu0;
                } catch (Exception e) {
                    System.out.println("    client failed: " + e);
                    errors[index]++;
                } finally {
                    counts[index] = n;
                    done.countDown();
                }
            });
            th.start();
        }
        ready.await();
        long cpu0 = serverCpu.getAsLong();
        long t0 = System.nanoTime();
        go.countDown();
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        done.await();
        long elapsed = System.nanoTime() - t0;
        long cpu = serverCpu.getAsLong() - cpu0;
        for (RawClient c : clients) {
            c.close();
        }
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int t = 0; t < threads; t++) {
            System.arraycopy(latencies[t], 0, all, at, counts[t]);
            at += counts[t];
        }
        Arrays.sort(all);
        double p99 = total == 0 ? 0 : all[Math.min(total - 1, (int) (total * 0.99))] / 1e6;
        return new Result(total / (elapsed / 1e9), p99, total == 0 ? 0 : cpu / 1e3 / total,
                total == 0 ? 0 : Arrays.stream(clientCpu).sum() / 1e3 / total, Arrays.stream(errors).sum(), 0);
    }

    // ---------------------------------------------------------------- the client's own cost

    /**
     * The raw client against a trivial server in this JVM (a thread per connection that reads the request and writes
     * a canned 200 of the size of a GetItem answer): the rate the client and the loopback can reach when the server
     * costs next to nothing, and the client's CPU per request.
     */
    private static void measureClient(int seconds) throws Exception {
        byte[] answer = ("HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nx-amzn-RequestId: "
                + "X".repeat(52) + "\r\nx-amz-crc32: 1234567890\r\nContent-Length: 120\r\n\r\n" + "x".repeat(120))
                .getBytes(StandardCharsets.US_ASCII);
        try (ServerSocket ss = new ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                while (!ss.isClosed()) {
                    try {
                        Socket s = ss.accept();
                        s.setTcpNoDelay(true);
                        Thread h = new Thread(() -> serveCanned(s, answer));
                        h.setDaemon(true);
                        h.start();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            byte[][] requests = many(KEYS, i -> request(ss.getLocalPort(), "DynamoDB_20120810.GetItem",
                    "{\"TableName\":\"bench\",\"Key\":" + key(i) + "}"));
            for (int round = 0; round < 2; round++) {
                for (int threads : new int[] {1, 8}) {
                    Result r = run(ss.getLocalPort(), requests, threads, seconds, os::getProcessCpuTime);
                    if (round > 0) {
                        System.out.printf("raw client vs trivial server x%d: %9.0f op/s  p99 %.3f ms  client %.1f us "
                                        + "CPU/op  (client + trivial server %.1f us/op)%n", threads,
                                r.opsPerSecond(), r.p99Millis(), r.clientCpuMicros(), r.serverCpuMicros());
                    }
                }
            }
        }
    }

    private static void serveCanned(Socket s, byte[] answer) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[1 << 16];
            int filled = 0;
            while (true) {
                int n = in.read(buf, filled, buf.length - filled);
                if (n < 0) {
                    return;
                }
                filled += n;
                // requests arrive whole (one write each, no pipelining): answer once headers and body are in
                int end = indexOfHeaderEnd(buf, filled);
                if (end < 0) {
                    continue;
                }
                String head = new String(buf, 0, end, StandardCharsets.US_ASCII).toLowerCase();
                int at = head.indexOf("content-length:") + 15;
                int length = Integer.parseInt(head.substring(at, head.indexOf('\r', at)).trim());
                if (filled < end + length) {
                    continue;
                }
                out.write(answer);
                filled = 0;
            }
        } catch (IOException e) {
            // client gone
        }
    }

    private static int indexOfHeaderEnd(byte[] b, int len) {
        for (int i = 0; i + 3 < len; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i + 4;
            }
        }
        return -1;
    }

    // ---------------------------------------------------------------- memory

    private static String memoryItem(int i) {
        return "{\"pk\":{\"S\":\"user-" + (i / 10) + "\"},\"sk\":{\"N\":\"" + (i % 10) + "\"},"
                + "\"status\":{\"S\":\"ACTIVE\"},\"count\":{\"N\":\"" + i + "\"},\"flag\":{\"BOOL\":"
                + (i % 2 == 0) + "}}";
    }

    /**
     * Both servers as child processes, {@code n} small items (5 attributes) written over HTTP with BatchWriteItem;
     * the growth of each process's resident memory, and for ours also the heap in use after a full GC.
     */
    private static void measureMemoryOverHttp(int n) throws Exception {
        List<Server> servers = new ArrayList<>();
        try {
            servers.add(Server.ours(false));
            Server d = Server.dynalite();
            if (d != null) {
                servers.add(d);
            }
            for (Server s : servers) {
                try (DynamoDbClient ddb = DynamoDbClient.builder().endpointOverride(s.endpoint())
                        .region(Region.US_EAST_1).credentialsProvider(TestSupport.CREDENTIALS).build()) {
                    ddb.createTable(TestSupport.table("mem", ScalarAttributeType.N).build());
                    ddb.waiter().waitUntilTableExists(r -> r.tableName("mem"));
                }
                long heapBefore = s.ours ? heapAfterGc(s) : 0;
                long rssBefore = s.rssKb();
                long t0 = System.nanoTime();
                int clients = 4;
                Thread[] ts = new Thread[clients];
                int batches = (n + 24) / 25;
                for (int c = 0; c < clients; c++) {
                    int first = c;
                    ts[c] = new Thread(() -> {
                        try (RawClient rc = new RawClient(s.port)) {
                            for (int b = first; b < batches; b += clients) {
                                StringBuilder sb = new StringBuilder("{\"RequestItems\":{\"mem\":[");
                                for (int j = b * 25; j < Math.min(n, b * 25 + 25); j++) {
                                    sb.append(j > b * 25 ? "," : "").append("{\"PutRequest\":{\"Item\":")
                                            .append(memoryItem(j)).append("}}");
                                }
                                if (rc.call(request(s.port, "DynamoDB_20120810.BatchWriteItem",
                                        sb.append("]}}").toString())) != 200) {
                                    throw new IllegalStateException(rc.body());
                                }
                            }
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    ts[c].start();
                }
                for (Thread t : ts) {
                    t.join();
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                long heapAfter = s.ours ? heapAfterGc(s) : 0;
                long rssAfter = s.rssKb();
                System.out.printf("%-9s %,d items loaded in %.0f s; resident memory grew %,d MB (%d bytes per item)%s%n",
                        s.name, n, secs, (rssAfter - rssBefore) >> 10, (rssAfter - rssBefore) * 1024 / n,
                        s.ours ? String.format("; heap in use after full GC grew %,d MB (%d bytes per item)",
                                (heapAfter - heapBefore) >> 20, (heapAfter - heapBefore) / n) : "");
            }
        } finally {
            servers.forEach(Server::close);
        }
    }

    /** The heap in use of our server process after a full GC, read with jcmd. */
    private static long heapAfterGc(Server s) throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        new ProcessBuilder(jcmd, String.valueOf(s.process.pid()), "GC.run").redirectErrorStream(true).start()
                .waitFor();
        Process p = new ProcessBuilder(jcmd, String.valueOf(s.process.pid()), "GC.heap_info").redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        var m = java.util.regex.Pattern.compile("used (\\d+)K").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("jcmd GC.heap_info: " + out);
        }
        return Long.parseLong(m.group(1)) * 1024;
    }

    /** Heap held by n small items (5 attributes) in the emulator's store, measured in-process. */
    private static void measureMemoryInProcess(int n) {
        Database db = new Database("us-east-1", "000000000000", Duration.ofHours(4), Duration.ofHours(24),
                Clock.systemUTC());
        long before = usedHeap();
        Table t = db.createTable("mem", null, null, new KeySchema("pk", Av.Type.S, "sk", Av.Type.N),
                JsonNodeFactory.instance.arrayNode(), JsonNodeFactory.instance.objectNode(), List.of());
        for (int i = 0; i < n; i++) {
            Map<String, Av> m = new LinkedHashMap<>();
            m.put("pk", Av.s("user-" + (i / 10)));
            m.put("sk", Av.n(BigDecimal.valueOf(i % 10)));
            m.put("status", Av.s("ACTIVE"));
            m.put("count", Av.n(BigDecimal.valueOf(i)));
            m.put("flag", Av.bool(i % 2 == 0));
            RowKey key = RowKey.of(m.get("pk"), m.get("sk"));
            t.lock().lock();
            try {
                t.commit(key, null, Item.of(m), false);
            } finally {
                t.lock().unlock();
            }
        }
        long after = usedHeap();
        System.out.printf("in process: %,d small items (5 attributes) hold %,d MB of heap, %d bytes per item (%d "
                        + "items)%n", n, (after - before) >> 20, (after - before) / n, t.itemCount());
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
