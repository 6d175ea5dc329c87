package io.cqrsworkers.localaws.http;

import io.cqrsworkers.embedded.InProcessEndpoints;
import io.cqrsworkers.localaws.emulator.EmbeddedService;
import io.cqrsworkers.localaws.emulator.EmulatorBuilder;
import io.cqrsworkers.localaws.persist.StateJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Function;

/**
 * The start, endpoint and stop shared by the emulators served by {@link AwsJsonServer} (SQS, DynamoDB, Step
 * Functions): one background thread for the service's timers and the journal's compaction, the state restored from
 * the data directory before the port opens, and nothing left running when the start fails (a taken port).
 */
public abstract class AwsJsonEmulator implements EmbeddedService {

    private static final Logger LOG = LoggerFactory.getLogger(AwsJsonEmulator.class);

    protected final EmulatorBuilder.Settings settings;
    private volatile AwsJsonServer server;
    /** In-process calls still waiting for their answer (long polls). */
    private final Set<CompletableFuture<InProcessEndpoints.Answer>> waiting = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService background;
    private volatile StateJournal journal;
    private volatile InetSocketAddress address;

    protected AwsJsonEmulator(EmulatorBuilder.Settings settings) {
        this.settings = settings;
    }

    /** Sets up the service's state and timers on {@code background}; returns the server of its operations. */
    protected abstract AwsJsonServer prepare(ScheduledExecutorService background) throws IOException;

    /**
     * Restores the prepared state from {@code dataDir} and journals its changes there from now on; null for a state
     * that keeps a journal of its own (opened by {@link #prepare}).
     */
    protected abstract StateJournal openJournal(Path dataDir) throws IOException;

    /** Releases what {@link #prepare} set up beyond the background thread, once the server stopped or did not start. */
    protected void release() {
    }

    @Override
    public final synchronized void start() throws IOException {
        if (server != null) {
            return;
        }
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name() + "-background");
            t.setDaemon(true);
            return t;
        });
        // most timers (long polls) are cancelled early: they should not pile up until due
        pool.setRemoveOnCancelPolicy(true);
        background = pool;
        try {
            AwsJsonServer starting = prepare(background);
            if (settings.dataDir() != null) {
                journal = openJournal(settings.dataDir());
            }
            address = starting.start(settings.host(), settings.port(), settings.threads());
            server = starting;
        } catch (IOException | RuntimeException e) {
            stopBackground();
            throw e;
        }
        if (journal != null) {
            journal.compactWhenDue(background);
        }
        LOG.info("{} emulator listening on {} ({})", name(), endpoint(),
                settings.dataDir() == null ? "in memory" : settings.dataDir());
    }

    @Override
    public URI endpoint() {
        InetSocketAddress a = address;
        return URI.create("http://" + settings.host() + ":" + (a != null ? a.getPort() : settings.port()));
    }

    /**
     * Answers a request inside this JVM as the server answers it on the wire ({@link InProcessEndpoints}); a stopped
     * emulator fails the call as a closed port would.
     */
    public CompletableFuture<InProcessEndpoints.Answer> call(String method, Function<String, String> header,
                                                            byte[] body) {
        AwsJsonServer running = server;
        if (running == null) {
            return CompletableFuture.failedFuture(new ConnectException(name() + " emulator is not running"));
        }
        CompletableFuture<InProcessEndpoints.Answer> answer = running.call(method, header, body);
        if (!answer.isDone()) {
            // a long poll: failed at close, as the server's closed connection fails one on the wire
            waiting.add(answer);
            answer.whenComplete((done, failed) -> waiting.remove(answer));
            if (server == null) {
                answer.completeExceptionally(new ConnectException(name() + " emulator stopped"));
            }
        }
        return answer;
    }

    @Override
    public synchronized boolean isRunning() {
        return server != null;
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop();
            server = null;
            waiting.forEach(call -> call.completeExceptionally(new ConnectException(name() + " emulator stopped")));
            stopBackground();
        }
    }

    private void stopBackground() {
        background.shutdownNow();
        if (journal != null) {
            journal.close();
            journal = null;
        }
        release();
    }

    /**
     * Writes a snapshot and starts a fresh journal now (normally done once the journal outgrows 64 MB and the last
     * snapshot).
     */
    public void compact() throws IOException {
        StateJournal j = journal;
        if (j != null) {
            j.compact();
        }
    }
}
