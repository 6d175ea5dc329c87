package io.cqrsworkers.localaws.persist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.json.JsonTrees;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * An emulator's durable state in a directory: JSON lines appended to {@code journal-N.log} before a change is
 * acknowledged, and from time to time a snapshot ({@code snapshot-N.log}, same line format). Each line is handed to
 * the operating system with one write call, so a kill -9 of the JVM loses nothing acknowledged; lines are NOT fsynced
 * one by one (a power cut may lose the last moments).
 *
 * <p>{@link #compact} first switches to a new journal, then writes the snapshot (fsynced, renamed into place) and
 * deletes the older files. The snapshot may already contain changes that are also in the new journal, so the owner's
 * lines must be idempotent: replaying the journal over such a snapshot has to give the same state.
 */
public final class JsonLinesLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JsonLinesLog.class);
    /** See {@link #worthCompacting}. */
    public static final long MIN_JOURNAL_BYTES = 64L << 20;

    private final ObjectMapper mapper = new ObjectMapper();
    private final Path dir;
    private final long minJournalBytes;
    private int generation;
    private OutputStream out;
    /** Held while writing to {@link #out} or replacing it; taken before this log's own monitor, never after. */
    private final Object writeLock = new Object();
    /** Lines queued and not yet written, and how many lines were ever queued / written (the tickets). */
    private byte[] pending = new byte[4096];
    private byte[] spare;
    private int pendingLength;
    private volatile long queued;
    private volatile long written;
    private long bytesSinceCompaction;
    private long snapshotBytes;
    private int linesReplayed;

    private JsonLinesLog(Path dir, long minJournalBytes) {
        this.dir = dir;
        this.minJournalBytes = minJournalBytes;
    }

    /** Replays the newest snapshot and the journals after it into {@code replay}, then opens a fresh journal. */
    public static JsonLinesLog open(Path dir, Consumer<JsonNode> replay) throws IOException {
        return open(dir, replay, MIN_JOURNAL_BYTES);
    }

    /** As {@link #open(Path, Consumer)}, with the journal size below which no snapshot is due. */
    public static JsonLinesLog open(Path dir, Consumer<JsonNode> replay, long minJournalBytes) throws IOException {
        Files.createDirectories(dir);
        JsonLinesLog log = new JsonLinesLog(dir, minJournalBytes);
        log.recover(replay);
        log.out = new FileOutputStream(log.journalFile(log.generation).toFile(), true);
        return log;
    }

    private Path journalFile(int gen) {
        return dir.resolve("journal-" + gen + ".log");
    }

    private Path snapshotFile(int gen) {
        return dir.resolve("snapshot-" + gen + ".log");
    }

    private static int generationOf(Path p, String prefix) {
        String name = p.getFileName().toString();
        if (!name.startsWith(prefix) || !name.endsWith(".log")) {
            return -1;
        }
        try {
            return Integer.parseInt(name.substring(prefix.length(), name.length() - 4));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void recover(Consumer<JsonNode> replay) throws IOException {
        List<Path> files;
        try (var list = Files.list(dir)) {
            files = list.toList();
        }
        int snapshot = files.stream().mapToInt(p -> generationOf(p, "snapshot-")).max().orElse(-1);
        List<Integer> journals = files.stream().map(p -> generationOf(p, "journal-")).filter(g -> g >= 0)
                .filter(g -> g >= snapshot).sorted().toList();
        if (snapshot >= 0) {
            snapshotBytes = Files.size(snapshotFile(snapshot));
            replay(snapshotFile(snapshot), replay);
        }
        for (int g : journals) {
            replay(journalFile(g), replay);
        }
        // always append to a fresh file: a line torn by a crash then stays the last line of its file
        generation = Math.max(snapshot, journals.isEmpty() ? 0 : journals.get(journals.size() - 1)) + 1;
    }

    private void replay(Path file, Consumer<JsonNode> replay) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode entry;
                try {
                    entry = mapper.readTree(line);
                } catch (IOException e) {
                    LOG.warn("Ignoring a torn line at the end of {}", file);
                    break;
                }
                replay.accept(entry);
                linesReplayed++;
            }
        }
    }

    /** Lines read back by {@link #open}. */
    public int linesReplayed() {
        return linesReplayed;
    }

    /** Appends one line and hands it to the operating system before returning. */
    public void append(ObjectNode entry) {
        flush(enqueue(entry));
    }

    /**
     * Queues one line and returns its ticket for {@link #flush}. Lines reach the file in the order they were queued;
     * a caller that queues under its own lock (a table's) thus keeps that lock's order in the journal.
     */
    public long enqueue(ObjectNode entry) {
        byte[] line;
        try {
            line = JsonTrees.write(entry);
        } catch (IOException e) {
            throw new UncheckedIOException("journal line not serializable", e);
        }
        synchronized (this) {
            int need = pendingLength + line.length + 1;
            if (need > pending.length) {
                pending = Arrays.copyOf(pending, Math.max(need, pending.length * 2));
            }
            System.arraycopy(line, 0, pending, pendingLength, line.length);
            pending[pendingLength + line.length] = '\n';
            pendingLength = need;
            return ++queued;
        }
    }

    /**
     * Returns once the line of {@code ticket}, and every line queued before it, has been handed to the operating
     * system. Group commit: the first caller writes all the lines queued so far with one write call, and the callers
     * whose lines that write carried find them written. Nothing is fsynced (see the class comment).
     */
    public void flush(long ticket) {
        if (written >= ticket) {
            return;
        }
        synchronized (writeLock) {
            writePending();
        }
    }

    /** As {@link #flush(long)} for every line queued so far; returns at once when there is none. */
    public void flush() {
        flush(queued);
    }

    /** Writes what is queued; the caller holds {@link #writeLock}. */
    private void writePending() {
        byte[] batch;
        int length;
        long upTo;
        synchronized (this) {
            if (pendingLength == 0) {
                return;
            }
            batch = pending;
            length = pendingLength;
            upTo = queued;
            pending = spare != null && spare.length >= 4096 ? spare : new byte[4096];
            spare = null;
            pendingLength = 0;
        }
        try {
            out.write(batch, 0, length);
        } catch (IOException e) {
            throw new UncheckedIOException("journal write failed", e);
        }
        synchronized (this) {
            bytesSinceCompaction += length;
            if (batch.length <= 1 << 20) {
                spare = batch;
            }
        }
        written = upTo;
    }

    /**
     * Whether a snapshot is due: the journal has grown past the minimum (64 MB) and past the last snapshot. Snapshot
     * writing then stays proportional to the changes, instead of the state's size times the number of compactions.
     */
    public synchronized boolean worthCompacting() {
        return bytesSinceCompaction > Math.max(minJournalBytes, snapshotBytes);
    }

    /**
     * Starts a new journal generation, writes a snapshot with {@code writeState} (which gets a sink for its lines)
     * and deletes the files the snapshot replaces.
     */
    public void compact(Consumer<Consumer<ObjectNode>> writeState) throws IOException {
        long started = System.nanoTime();
        int next;
        synchronized (writeLock) {
            // lines queued before the switch go to the old journal: the snapshot, taken after, has their changes
            writePending();
            synchronized (this) {
                next = generation + 1;
                // open the new journal first: if that fails, appends go on to the current one
                OutputStream fresh = new FileOutputStream(journalFile(next).toFile(), true);
                out.close();
                out = fresh;
                generation = next;
                bytesSinceCompaction = 0;
            }
        }
        Path tmp = dir.resolve("snapshot-" + next + ".tmp");
        try (FileOutputStream fos = new FileOutputStream(tmp.toFile());
             OutputStream os = new BufferedOutputStream(fos, 1 << 16)) {
            writeState.accept(entry -> {
                try {
                    os.write(mapper.writeValueAsBytes(entry));
                    os.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            os.flush();
            fos.getFD().sync();
        }
        Files.move(tmp, snapshotFile(next), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        long written = Files.size(snapshotFile(next));
        synchronized (this) {
            snapshotBytes = written;
        }
        try (var list = Files.list(dir)) {
            for (Path p : list.toList()) {
                int g = Math.max(generationOf(p, "journal-"), generationOf(p, "snapshot-"));
                if (g >= 0 && g < next) {
                    Files.deleteIfExists(p);
                }
            }
        }
        // to match a latency outlier with the snapshot written meanwhile
        LOG.info("Snapshot {} written in {} ms ({} MB)", snapshotFile(next), (System.nanoTime() - started) / 1_000_000,
                String.format("%.1f", written / 1e6));
    }

    @Override
    public void close() {
        synchronized (writeLock) {
            try {
                writePending();
            } catch (UncheckedIOException e) {
                LOG.warn("Writing the last journal lines in {} failed", dir, e);
            }
            closeFile();
        }
    }

    private synchronized void closeFile() {
        try {
            out.close();
        } catch (IOException e) {
            LOG.warn("Closing the journal in {} failed", dir, e);
        }
    }
}
