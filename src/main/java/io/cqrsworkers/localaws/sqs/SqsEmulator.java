package io.cqrsworkers.localaws.sqs;

import io.cqrsworkers.localaws.emulator.EmulatorBuilder;
import io.cqrsworkers.localaws.http.AwsJsonEmulator;
import io.cqrsworkers.localaws.http.AwsJsonServer;
import io.cqrsworkers.localaws.persist.StateJournal;
import io.cqrsworkers.localaws.sqs.api.Operations;
import io.cqrsworkers.localaws.sqs.persist.SqsJournal;
import io.cqrsworkers.localaws.sqs.store.Queues;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ScheduledExecutorService;

/**
 * SQS (AWS JSON 1.0 protocol, standard and FIFO queues) in this JVM. In memory unless given a data directory; with
 * one, every acknowledged send, delete, receive count and queue change is journaled before the answer, so a kill -9
 * loses nothing acknowledged.
 *
 * <pre>
 * try (SqsEmulator sqs = SqsEmulator.builder().build()) {
 *     sqs.start();
 *     SqsClient client = SqsClient.builder().endpointOverride(sqs.endpoint())...
 * }
 * </pre>
 */
public final class SqsEmulator extends AwsJsonEmulator {

    /** Long polls park their exchange instead of a thread, so a small pool serves many waiting consumers. */
    private static final int THREADS = Math.max(8, Runtime.getRuntime().availableProcessors() * 4);

    private Queues queues;

    private SqsEmulator(Builder b) {
        super(b.settings());
    }

    /**
     * Settings as every emulator's ({@link EmulatorBuilder}); the clock is what "now" is for delays, visibility
     * timeouts, retention and timestamps (timers that wake long polls still run in real time).
     */
    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder extends EmulatorBuilder<Builder> {
        private Builder() {
            super(THREADS);
        }

        public SqsEmulator build() {
            return new SqsEmulator(this);
        }
    }

    @Override
    public String name() {
        return "sqs";
    }

    @Override
    protected AwsJsonServer prepare(ScheduledExecutorService timers) {
        queues = new Queues(settings.region(), settings.accountId(), () -> endpoint().toString(), settings.clock(),
                timers);
        return new AwsJsonServer(Operations.all(queues, settings.clock()),
                new AwsJsonServer.Settings("sqs." + settings.region() + ".amazonaws.com", "com.amazonaws.sqs#", false,
                        "sqs-http"));
    }

    @Override
    protected StateJournal openJournal(Path dataDir) throws IOException {
        return SqsJournal.open(dataDir, queues);
    }

    /**
     * How many ReceiveMessage calls are parked on the queue at {@code queueUrl}, waiting for a message: lets a test
     * send only once its long poll is waiting, instead of sleeping and hoping it is.
     */
    public int waitingReceives(String queueUrl) {
        return queues.byUrl(queueUrl).waitingReceives();
    }

    /** Starts the emulator alone: {@code [port (default 9324)] [dataDir]}. */
    public static void main(String[] args) throws Exception {
        EmulatorBuilder.runAlone(builder().args(args, 9324).build());
    }
}
