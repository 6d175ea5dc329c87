package io.cqrsworkers.localaws.emulator;

import java.nio.file.Path;
import java.time.Clock;

/**
 * The settings every emulator has, with the same names and defaults in each ({@code XEmulator.builder()...build()}):
 * host 127.0.0.1, port 0 (any free port; {@link EmbeddedService#endpoint()} reports the real one), in memory, region
 * us-east-1, account 000000000000, the system clock.
 *
 * @param <B> the emulator's own builder, so its settings chain after these
 */
public abstract class EmulatorBuilder<B extends EmulatorBuilder<B>> {

    private String host = "127.0.0.1";
    private int port;
    private Path dataDir;
    private String region = "us-east-1";
    private String accountId = "000000000000";
    private Clock clock = Clock.systemUTC();
    private int threads;

    /** @param threads the HTTP server's threads unless {@link #threads(int)} says otherwise */
    protected EmulatorBuilder(int threads) {
        this.threads = threads;
    }

    public B host(String host) {
        this.host = host;
        return self();
    }

    public B port(int port) {
        this.port = port;
        return self();
    }

    /** Where the emulator's state survives restarts (a journal and its snapshots); null keeps it in memory. */
    public B dataDir(Path dataDir) {
        this.dataDir = dataDir;
        return self();
    }

    public B region(String region) {
        this.region = region;
        return self();
    }

    public B accountId(String accountId) {
        this.accountId = accountId;
        return self();
    }

    /** What "now" is (timestamps, delays, timeouts, retention); a {@link ManualClock} lets a test move it on. */
    public B clock(Clock clock) {
        this.clock = clock;
        return self();
    }

    /** Threads of the HTTP server. */
    public B threads(int threads) {
        this.threads = threads;
        return self();
    }

    /** {@code [port] [dataDir]}, the command line of every emulator's {@code main}. */
    public B args(String[] args, int defaultPort) {
        port(args.length > 0 ? Integer.parseInt(args[0]) : defaultPort);
        return args.length > 1 ? dataDir(Path.of(args[1])) : self();
    }

    /** The common settings as the emulator reads them. */
    public Settings settings() {
        return new Settings(host, port, dataDir, region, accountId, clock, threads);
    }

    public record Settings(String host, int port, Path dataDir, String region, String accountId, Clock clock,
                           int threads) {
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** Starts an emulator on its own (each one's {@code main}) and keeps it running until the JVM is stopped. */
    public static void runAlone(EmbeddedService service) throws Exception {
        Runtime.getRuntime().addShutdownHook(new Thread(service::close));
        service.start();
        System.out.println(service.name() + " listening on " + service.endpoint());
        Thread.currentThread().join();
    }
}
