package io.cqrsworkers.localaws.stepfunctions.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.persist.JsonLinesLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The engine's durable state: one journal of JSON lines (with snapshots, {@link JsonLinesLog}) for everything that
 * is alive, and one file per closed execution for its history, written once when it closes. No file stays open per
 * execution, so a million open executions cost no file handle each.
 *
 * <p>Lines, by {@code t}: {@code m} a machine (or a revision of one), {@code md} a deleted machine, {@code s} an
 * execution started (with the number {@code n} its entries name it by), {@code e} an entry of its log (an API
 * history event or a marker of the engine's own, each with the execution-wide sequence number {@code q}, so a line
 * replayed twice over a snapshot counts once), {@code end} an execution closed, {@code forget} its retention ended,
 * {@code mr} / {@code mre} a map run started / ended. Entries are written compactly ({@link EntryCodec}: format 2);
 * lines of format 1, as versions before it wrote them, are read as well, and so are their history files.
 *
 * <p>A closed execution's history file is gzipped JSON lines ({@code <arn>.jsonl.gz}, about a tenth of the text);
 * an execution closed by an earlier version keeps its plain {@code <arn>.jsonl}.
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
        /** Executions by the number their start line gives them (format 2 entry lines name them so). */
        private final Map<Long, ExecutionLines> numbered = new HashMap<>();
        private long maxNumber;
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

        /** The event of entry {@code seq} (read before), for the references of the entries after it. */
        private ObjectNode event(long seq) {
            int lo = 0;
            int hi = entries.size() - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                long q = entries.get(mid).path("q").asLong();
                if (q < seq) {
                    lo = mid + 1;
                } else if (q > seq) {
                    hi = mid - 1;
                } else {
                    return entries.get(mid).get("e") instanceof ObjectNode e ? e : null;
                }
            }
            return null;
        }
    }

    private final Path historyDir;
    private final JsonLinesLog log;
    private Recovered recovered;
    private final AtomicLong writeFailures = new AtomicLong();
    /** The running executions' writers of compact entry lines, by ARN; dropped when an execution ends. */
    private final Map<String, EntryCodec.Writer> writers = new ConcurrentHashMap<>();
    private final AtomicLong nextNumber;

    private EngineJournal(Path historyDir, JsonLinesLog log, Recovered recovered) {
        this.historyDir = historyDir;
        this.log = log;
        this.recovered = recovered;
        this.nextNumber = new AtomicLong(recovered.maxNumber + 1);
        recovered.executions.values().forEach(x -> {
            if (x.end == null) {
                writers.put(x.start.path("x").asText(), new EntryCodec.Writer(x.start.path("n").asLong(-1), x.start));
            }
        });
        recovered.numbered.clear();
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
            case "s" -> {
                ExecutionLines x = r.executions.computeIfAbsent(arn, k -> new ExecutionLines((ObjectNode) line));
                if (line.has("n")) {
                    // also when a snapshot wrote this start without its number (it began while the snapshot was written)
                    r.numbered.put(line.path("n").asLong(), x);
                    r.maxNumber = Math.max(r.maxNumber, line.path("n").asLong());
                }
            }
            case "e" -> {
                ExecutionLines x = line.has("n") ? r.numbered.get(line.path("n").asLong()) : r.executions.get(arn);
                long seq = line.path("q").asLong();
                if (x != null && x.end == null && seq > x.lastSeq) {
                    ObjectNode entry = (ObjectNode) line;
                    if (line.has("n") || line.has("E")) {
                        try {
                            entry = EntryCodec.decode(entry, x.start, x::event);
                        } catch (RuntimeException e) {
                            LOG.warn("Ignoring an entry of {} that cannot be read: {}", x.start.path("x").asText(), e.toString());
                            return;
                        }
                    }
                    x.entries.add(entry);
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
            case "forget" -> {
                ExecutionLines x = r.executions.remove(arn);
                if (x != null && x.start.has("n")) {
                    r.numbered.remove(x.start.path("n").asLong());
                }
            }
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

    /**
     * Appends a start line, with the number ({@code n}) the execution's entry lines will name it by; throws if it
     * could not be written, so the start is refused rather than lost.
     */
    public void started(ObjectNode startLine) {
        long number = nextNumber.getAndIncrement();
        startLine.put("n", number);
        EntryCodec.Writer writer = new EntryCodec.Writer(number, startLine);
        // known before the line is written: a snapshot written meanwhile gives the start its number
        writers.put(writer.arn, writer);
        try {
            log.append(startLine);
        } catch (RuntimeException e) {
            writers.remove(writer.arn, writer);
            throw e;
        }
    }

    public static ObjectNode entryLine(String arn, long seq) {
        return MAPPER.createObjectNode().put("t", "e").put("x", arn).put("q", seq);
    }

    /**
     * Queues an entry line ({@link #entryLine}), in the compact form of {@link EntryCodec} for a running execution;
     * {@link #flush} writes it (group commit: one write call for all the entries a worker step made). The engine
     * flushes before anything leaves it (an answer, a call to a service, a task handed to a worker), so what a
     * crash loses was never seen outside. Encoded and queued under the execution's writer, so an entry that refers
     * to an earlier one is always behind it in the journal.
     */
    public void entry(ObjectNode entryLine) {
        EntryCodec.Writer writer = writers.get(entryLine.path("x").asText());
        try {
            if (writer == null) {
                log.enqueue(entryLine);
            } else {
                synchronized (writer) {
                    log.enqueue(writer.encode(entryLine));
                }
            }
        } catch (UncheckedIOException e) {
            failed(e);
        }
    }

    /** Writes every queued entry line; a failure is logged and counted, as for every line. */
    public void flush() {
        try {
            log.flush();
        } catch (UncheckedIOException e) {
            failed(e);
        }
    }

    public static ObjectNode endLine(String arn) {
        return MAPPER.createObjectNode().put("t", "end").put("x", arn);
    }

    /**
     * An execution closed: its history goes to a file of its own (written whole, then renamed into place), then the
     * end line makes the close durable. Returns false if the history could not be written (it then stays in the heap).
     */
    public boolean ended(ObjectNode endLine, List<String> history) {
        String arn = endLine.path("x").asText();
        boolean written = writeHistory(arn, history);
        append(endLine);
        writers.remove(arn);
        return written;
    }

    public void forget(String arn) {
        writers.remove(arn);
        append(MAPPER.createObjectNode().put("t", "forget").put("x", arn));
        try {
            Files.deleteIfExists(historyFile(arn));
            Files.deleteIfExists(plainHistoryFile(arn));
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
            failed(e);
        }
    }

    /** Lines were lost: later entry lines must not refer to what they held. */
    private void failed(UncheckedIOException e) {
        writers.values().forEach(EntryCodec.Writer::forgetRecent);
        long n = writeFailures.incrementAndGet();
        if (n == 1 || n % 1000 == 0) {
            LOG.error("The Step Functions journal could not be written ({} failures so far); executions go on in memory: {}", n, e.getCause().toString());
        }
    }

    // ---- histories of closed executions

    /** A closed execution's history: its events as JSON lines, gzipped. */
    private Path historyFile(String arn) {
        return historyDir.resolve(URLEncoder.encode(arn, StandardCharsets.UTF_8) + ".jsonl.gz");
    }

    /** The same, as versions before the compact format wrote it (read, never written). */
    private Path plainHistoryFile(String arn) {
        return historyDir.resolve(URLEncoder.encode(arn, StandardCharsets.UTF_8) + ".jsonl");
    }

    private boolean writeHistory(String arn, List<String> events) {
        Path file = historyFile(arn);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream w = new BufferedOutputStream(new GZIPOutputStream(Files.newOutputStream(tmp), 1 << 14) {
            {
                // a tenth of the text at half the CPU of the default level (6 gives 9 %)
                def.setLevel(3);
            }
        }, 1 << 14)) {
            // each event encoded whole (a string's own fast path), not char by char through a Writer
            for (String e : events) {
                w.write(e.getBytes(StandardCharsets.UTF_8));
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
        boolean gzipped = Files.exists(file);
        if (!gzipped) {
            file = plainHistoryFile(arn);
            if (!Files.exists(file)) {
                return out;
            }
        }
        try (BufferedReader r = gzipped
                ? new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file), 1 << 14), StandardCharsets.UTF_8))
                : Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
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

    /**
     * Writes a snapshot of what {@code state} emits (every line needed to rebuild the engine) and drops older files.
     * A running execution's start line keeps its number, and its entries are written compactly (referring only to
     * entries of the snapshot).
     */
    public void compact(Consumer<Consumer<ObjectNode>> state) throws IOException {
        log.compact(sink -> state.accept(new Consumer<>() {
            private EntryCodec.Writer current;

            @Override
            public void accept(ObjectNode line) {
                switch (line.path("t").asText()) {
                    case "s" -> {
                        EntryCodec.Writer live = writers.get(line.path("x").asText());
                        if (live != null && live.number >= 0) {
                            line.put("n", live.number);
                        }
                        current = live == null ? null : new EntryCodec.Writer(live.number, line);
                        sink.accept(line);
                    }
                    case "e" -> sink.accept(current != null && current.arn.equals(line.path("x").asText()) ? current.encode(line) : line);
                    default -> sink.accept(line);
                }
            }
        }));
    }

    @Override
    public void close() {
        log.close();
    }
}
