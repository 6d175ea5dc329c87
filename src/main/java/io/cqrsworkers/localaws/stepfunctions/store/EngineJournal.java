package io.cqrsworkers.localaws.stepfunctions.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.persist.JsonLinesLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The engine's durable state: one journal of JSON lines (with snapshots, {@link JsonLinesLog}) for everything that
 * is alive, and one file per closed execution for its history, written once when it closes. No file stays open per
 * execution, so a million open executions cost no file handle each.
 *
 * <p>Lines, by {@code t}: {@code m} a machine (or a revision of one), {@code md} a deleted machine, {@code s} an
 * execution started, {@code e} an entry of its log (an API history event or a marker of the engine's own, each with
 * the execution-wide sequence number {@code q}, so a line replayed twice over a snapshot counts once), {@code end}
 * an execution closed, {@code forget} its retention ended, {@code mr} / {@code mre} a map run started / ended.
 *
 * <p>This class knows JSON lines only; the engine turns them into machines and executions. A failure to write is
 * logged and counted, never thrown into the engine's worker threads, except for the line that makes a start durable.
 */
public final class EngineJournal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EngineJournal.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** What a replay of the journal found; read once by the engine at start. */
    public static final class Recovered {
        /** Every machine revision seen, by {@link #machineKey}. */
        public final Map<String, ObjectNode> revisions = new LinkedHashMap<>();
        /** The current machines: ARN to revision key. */
        public final Map<String, String> machines = new LinkedHashMap<>();
        public final Map<String, ExecutionLines> executions = new LinkedHashMap<>();
        public final Map<String, ObjectNode> mapRuns = new LinkedHashMap<>();
        public int lines;
    }

    /** One execution as replayed: its start line, its log entries in order, and its end line once it closed. */
    public static final class ExecutionLines {
        public final ObjectNode start;
        public final List<ObjectNode> entries = new ArrayList<>();
        public ObjectNode end;
        private long lastSeq;

        ExecutionLines(ObjectNode start) {
            this.start = start;
        }
    }

    private final Path historyDir;
    private final JsonLinesLog log;
    private Recovered recovered;
    private final AtomicLong writeFailures = new AtomicLong();

    private EngineJournal(Path historyDir, JsonLinesLog log, Recovered recovered) {
        this.historyDir = historyDir;
        this.log = log;
        this.recovered = recovered;
    }

    /** Opens the journal in {@code dir} and replays it; a snapshot is due after {@code snapshotAfterBytes} of journal. */
    public static EngineJournal open(Path dir, long snapshotAfterBytes) throws IOException {
        if (Files.isDirectory(dir.resolve("executions"))) {
            LOG.warn("{} holds executions in the layout of an older version, which is not read; delete the directory for a clean start", dir);
        }
        Path histories = dir.resolve("histories");
        Files.createDirectories(histories);
        Recovered r = new Recovered();
        JsonLinesLog log = JsonLinesLog.open(dir.resolve("journal"), line -> replay(r, line), snapshotAfterBytes);
        r.lines = log.linesReplayed();
        return new EngineJournal(histories, log, r);
    }

    /** The replayed state; handed out once, then dropped so the heap does not keep it. */
    public synchronized Recovered takeRecovered() {
        Recovered r = recovered;
        recovered = null;
        return r;
    }

    public static String machineKey(String arn, String revisionId) {
        return arn + "#" + revisionId;
    }

    private static void replay(Recovered r, JsonNode line) {
        String arn = line.path("x").asText();
        switch (line.path("t").asText()) {
            case "m" -> {
                ObjectNode m = (ObjectNode) line.get("m");
                String key = machineKey(m.path("arn").asText(), m.path("revisionId").asText());
                r.revisions.put(key, m);
                if (!m.path("retired").asBoolean()) {
                    r.machines.put(m.path("arn").asText(), key);
                }
            }
            case "md" -> r.machines.remove(line.path("arn").asText());
            case "s" -> r.executions.putIfAbsent(arn, new ExecutionLines((ObjectNode) line));
            case "e" -> {
                ExecutionLines x = r.executions.get(arn);
                long seq = line.path("q").asLong();
                if (x != null && x.end == null && seq > x.lastSeq) {
                    x.entries.add((ObjectNode) line);
                    x.lastSeq = seq;
                }
            }
            case "end" -> {
                ExecutionLines x = r.executions.get(arn);
                if (x != null) {
                    x.end = (ObjectNode) line;
                    x.entries.clear();
                }
            }
            case "forget" -> r.executions.remove(arn);
            case "mr" -> r.mapRuns.putIfAbsent(line.path("arn").asText(), (ObjectNode) line);
            case "mre" -> {
                ObjectNode run = r.mapRuns.get(line.path("arn").asText());
                if (run != null) {
                    run.put("status", line.path("status").asText()).put("stop", line.path("stop").asLong());
                }
            }
            case "mrforget" -> r.mapRuns.remove(line.path("arn").asText());
            default -> LOG.warn("Ignoring an unknown journal line of type '{}'", line.path("t").asText());
        }
    }

    // ---- lines

    public static ObjectNode machineLine(ObjectNode machine) {
        ObjectNode l = MAPPER.createObjectNode().put("t", "m");
        l.set("m", machine);
        return l;
    }

    public void machine(ObjectNode machine) {
        append(machineLine(machine));
    }

    public void machineDeleted(String arn) {
        append(MAPPER.createObjectNode().put("t", "md").put("arn", arn));
    }

    /** The start line of an execution; {@link #started} makes it durable. */
    public static ObjectNode startLine(String arn) {
        return MAPPER.createObjectNode().put("t", "s").put("x", arn);
    }

    /** Appends a start line; throws if it could not be written, so the start is refused rather than lost. */
    public void started(ObjectNode startLine) {
        log.append(startLine);
    }

    public static ObjectNode entryLine(String arn, long seq) {
        return MAPPER.createObjectNode().put("t", "e").put("x", arn).put("q", seq);
    }

    public void entry(ObjectNode entryLine) {
        append(entryLine);
    }

    public static ObjectNode endLine(String arn) {
        return MAPPER.createObjectNode().put("t", "end").put("x", arn);
    }

    /**
     * An execution closed: its history goes to a file of its own (written whole, then renamed into place), then the
     * end line makes the close durable. Returns false if the history could not be written (it then stays in the heap).
     */
    public boolean ended(ObjectNode endLine, List<String> history) {
        boolean written = writeHistory(endLine.path("x").asText(), history);
        append(endLine);
        return written;
    }

    public void forget(String arn) {
        append(MAPPER.createObjectNode().put("t", "forget").put("x", arn));
        try {
            Files.deleteIfExists(historyFile(arn));
        } catch (IOException e) {
            LOG.warn("Could not delete the history of {}: {}", arn, e.toString());
        }
    }

    public static ObjectNode mapRunLine(String arn) {
        return MAPPER.createObjectNode().put("t", "mr").put("arn", arn);
    }

    public void mapRun(ObjectNode mapRunLine) {
        append(mapRunLine);
    }

    public void mapRunEnded(String arn, String status, long stopMillis) {
        append(MAPPER.createObjectNode().put("t", "mre").put("arn", arn).put("status", status).put("stop", stopMillis));
    }

    public void mapRunForgotten(String arn) {
        append(MAPPER.createObjectNode().put("t", "mrforget").put("arn", arn));
    }

    private void append(ObjectNode line) {
        try {
            log.append(line);
        } catch (UncheckedIOException e) {
            long n = writeFailures.incrementAndGet();
            if (n == 1 || n % 1000 == 0) {
                LOG.error("The Step Functions journal could not be written ({} failures so far); executions go on in memory: {}", n, e.getCause().toString());
            }
        }
    }

    // ---- histories of closed executions

    private Path historyFile(String arn) {
        return historyDir.resolve(URLEncoder.encode(arn, StandardCharsets.UTF_8) + ".jsonl");
    }

    private boolean writeHistory(String arn, List<String> events) {
        Path file = historyFile(arn);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            for (String e : events) {
                w.write(e);
                w.write('\n');
            }
        } catch (IOException e) {
            long n = writeFailures.incrementAndGet();
            LOG.error("The history of {} could not be written ({} write failures so far): {}", arn, n, e.toString());
            return false;
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            LOG.error("The history of {} could not be moved into place: {}", arn, e.toString());
            return false;
        }
    }

    /** The history of a closed execution, read from its file. */
    public List<ObjectNode> history(String arn) {
        List<ObjectNode> out = new ArrayList<>();
        Path file = historyFile(arn);
        if (!Files.exists(file)) {
            return out;
        }
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    out.add((ObjectNode) MAPPER.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the history of " + arn, e);
        }
        return out;
    }

    // ---- snapshots

    public boolean worthCompacting() {
        return log.worthCompacting();
    }

    /** Writes a snapshot of what {@code state} emits (every line needed to rebuild the engine) and drops older files. */
    public void compact(Consumer<Consumer<ObjectNode>> state) throws IOException {
        log.compact(state);
    }

    @Override
    public void close() {
        log.close();
    }
}
