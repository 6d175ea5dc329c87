package io.cqrsworkers.localaws.persist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An emulator's state in a data directory, the part every emulator's journal shares: changes appended as lines of a
 * {@link JsonLinesLog} before the client is answered, replayed at the start over the last snapshot, and compacted
 * into a new snapshot when due. A subclass says what a line means ({@link #apply}) and what the whole state is
 * ({@link #writeState}); each line must state a full value, so replaying it over a snapshot that has it changes
 * nothing.
 */
public abstract class StateJournal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StateJournal.class);
    /** How often a running emulator looks whether a snapshot is due. */
    private static final long COMPACTION_CHECK_SECONDS = 30;

    private JsonLinesLog log;

    /** The mapper of the lines; subclasses build them with it. */
    protected final ObjectMapper mapper = new ObjectMapper();

    /** Replays what {@code dir} holds through {@link #apply}, then appends there. */
    protected final void open(Path dir) throws IOException {
        log = JsonLinesLog.open(dir, this::apply);
        if (log.linesReplayed() > 0) {
            LOG.info("Restored {} from {} ({} log lines)", restored(), dir, log.linesReplayed());
        }
    }

    /** What a replay restored, for the log, e.g. "3 queues". */
    protected abstract String restored();

    /** Restores one line of the journal or snapshot into the emulator's state. */
    protected abstract void apply(JsonNode line);

    /** A line of a kind this version does not know (written by a newer one): skipped, and said so. */
    protected final void skipUnknown(String op) {
        LOG.warn("Unknown journal entry {}", op);
    }

    /** Writes the whole state as lines, for a snapshot. */
    protected abstract void writeState(Consumer<ObjectNode> line);

    /** Appends a line and returns once it has been handed to the operating system. */
    protected final void append(ObjectNode line) {
        log.append(line);
    }

    /**
     * Queues a line and returns its ticket: the line is in the journal once {@link #flush} of that ticket (or a later
     * one) has returned. Lets a change be logged under the owner's lock and written after it, batched with other
     * threads' lines (group commit).
     */
    protected final long enqueue(ObjectNode line) {
        return log.enqueue(line);
    }

    /** Returns once the line of {@code ticket} and all before it have been handed to the operating system. */
    protected final void flush(long ticket) {
        log.flush(ticket);
    }

    /** Whether a snapshot is due (see {@link JsonLinesLog#worthCompacting}). */
    public boolean worthCompacting() {
        return log.worthCompacting();
    }

    /** Starts a new journal generation, snapshots the state and deletes the files the snapshot replaces. */
    public void compact() throws IOException {
        log.compact(this::writeState);
    }

    /** Compacts on {@code scheduler} whenever a snapshot is due, until the scheduler is shut down. */
    public void compactWhenDue(ScheduledExecutorService scheduler) {
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                if (worthCompacting()) {
                    compact();
                }
            } catch (Exception e) {
                LOG.warn("Journal compaction failed", e);
            }
        }, COMPACTION_CHECK_SECONDS, COMPACTION_CHECK_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        log.close();
    }
}
