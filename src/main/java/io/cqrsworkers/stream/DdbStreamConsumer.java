package io.cqrsworkers.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.apache.camel.Processor;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.coordinator.WorkerStateChangeListener.WorkerState;
import software.amazon.kinesis.leases.Lease;
import software.amazon.kinesis.leases.LeaseRefresher;

/**
 * Runs a KCL scheduler for the table's stream and feeds its records into the route. Stopping hands the leases
 * over gracefully (checkpoint of what is done, then release), so another replica continues without a gap.
 *
 * <p>A scheduler that gives up (KCL ends its run loop when initialisation keeps failing, e.g. DynamoDB not
 * reachable yet, or two replicas of a brand-new application racing to write its first migration state) is
 * replaced by a new one after a pause; readiness stays DOWN meanwhile.
 */
public class DdbStreamConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(DdbStreamConsumer.class);
    private static final long RESTART_PAUSE_MS = 2_000;

    private final DdbStreamConfiguration config;
    private volatile boolean stopping;
    private volatile boolean halted;
    private volatile WorkerState state = WorkerState.CREATED;
    /** When the worker last reached STARTED (readiness waits for a lease from then on). */
    private volatile long workerStartedMillis;
    private volatile Scheduler scheduler;
    private StreamClients clients;
    private Thread schedulerThread;
    private StreamMetrics metrics;
    private StreamReadinessCheck readiness;
    private volatile long startedNanos;
    private volatile DeadLetterQueue deadLetters;
    private volatile RecordDelivery delivery;
    private AdaptivePolling polling;

    public DdbStreamConsumer(DdbStreamEndpoint endpoint, Processor processor, DdbStreamConfiguration config) {
        super(endpoint, processor);
        this.config = config;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        stopping = false;
        halted = false;
        String table = config.getTableName();
        String application = config.effectiveApplicationName();
        clients = new StreamClients(config);
        String streamArn = describe(table, "Table " + table + " (read by ddb-stream as application " + application
                + ")").latestStreamArn();
        if (config.isRequireLeaseTable()) {
            describe(application, "Lease table " + application + " of the ddb-stream consumer of " + table
                    + " (requireLeaseTable: the deployment creates it, KCL may not)");
        }
        if (streamArn == null) {
            throw new IllegalStateException("Table " + table + " has no stream: enable a stream (NEW_IMAGE or NEW_AND_OLD_IMAGES)");
        }
        startedNanos = System.nanoTime();
        String workerId = config.getWorkerId() != null ? config.getWorkerId()
                : System.getenv().getOrDefault("HOSTNAME", "worker") + "-" + UUID.randomUUID().toString().substring(0, 8);

        metrics = new StreamMetrics(meterRegistry(), table, application, this::leasesHeld);
        deadLetters = config.getDeadLetterQueue() == null ? null
                : DeadLetterQueue.open(config.getDeadLetterQueue(), config, clients);
        RecordDelivery delivery = new RecordDelivery(this, config, metrics, deadLetters, () -> stopping);
        this.delivery = delivery;
        AdaptivePolling polling = new AdaptivePolling(table, config.getIdleTimeBetweenReadsMs(),
                config.effectiveMaxIdleTimeBetweenReadsMs()).register();
        this.polling = polling;
        Supplier<Scheduler> schedulers = () -> KclScheduler.create(config, clients, streamArn, workerId,
                () -> new ShardProcessor(delivery, metrics, () -> !halted), this::stateChanged, polling);

        readiness = new StreamReadinessCheck("ddb-stream-" + application + "-" + table, () -> state, this::leasesHeld,
                () -> workerStartedMillis, System::currentTimeMillis, config.getReadinessLeaseWaitMs());
        HealthCheckRegistry health = HealthCheckRegistry.get(getEndpoint().getCamelContext());
        if (health != null) {
            health.register(readiness);
        }
        schedulerThread = new Thread(() -> supervise(schedulers), "ddb-stream-" + table);
        schedulerThread.setDaemon(true);
        schedulerThread.start();
        LOG.info("Consuming stream {} as application {} worker {} (events {}, start {})", streamArn, application,
                workerId, config.eventNameFilter().isEmpty() ? "all" : config.eventNameFilter(),
                config.getStartingPosition());
    }

    private software.amazon.awssdk.services.dynamodb.model.TableDescription describe(String table, String what) {
        try {
            return clients.dynamoDb.describeTable(b -> b.tableName(table)).join().table();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException) {
                throw new IllegalStateException(what + " does not exist", e.getCause());
            }
            throw e;
        }
    }

    private void stateChanged(WorkerState next) {
        if (next == WorkerState.STARTED) {
            workerStartedMillis = System.currentTimeMillis();
        }
        state = next;
        if (next == WorkerState.STARTED) {
            LOG.info("KCL worker for {} started {} ms after the consumer", config.getTableName(),
                    (System.nanoTime() - startedNanos) / 1_000_000);
        }
    }

    /** Runs schedulers one after the other until the consumer stops. */
    private void supervise(Supplier<Scheduler> schedulers) {
        while (!stopping) {
            Scheduler next;
            synchronized (this) {
                if (stopping) {
                    return;
                }
                next = schedulers.get();
                scheduler = next;
            }
            next.run();
            synchronized (this) {
                if (stopping) {
                    return;
                }
                scheduler = null;
            }
            if (!stopping) {
                LOG.warn("KCL scheduler for {} ended on its own (state {}); starting a new one in {} ms",
                        config.getTableName(), state, RESTART_PAUSE_MS);
                try {
                    Thread.sleep(RESTART_PAUSE_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    @Override
    protected void doStop() throws Exception {
        stopPolling();
        Scheduler current = stopScheduling();
        if (current != null) {
            List<Lease> held = new ArrayList<>(current.leaseCoordinator().getAssignments());
            boolean clean = false;
            try {
                clean = current.startGracefulShutdown().get(config.getShutdownTimeoutMs(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                LOG.warn("Graceful stop of {} did not finish within {} ms ({}); stopping now", config.getTableName(),
                        config.getShutdownTimeoutMs(), e.toString());
                current.shutdown();
            }
            if (clean) {
                handOver(current, held);
            }
        }
        release();
        super.doStop();
    }

    /**
     * Stops at once like a killed process: no further checkpoint, no lease hand-over. Other replicas take the
     * shards after the failover time and re-read what was not checkpointed. For crash tests and emergencies.
     */
    public void halt() {
        halted = true;
        stopPolling();
        Scheduler current = stopScheduling();
        if (current != null) {
            current.shutdown();
        }
        release();
    }

    /** Shards waiting out a long idle pause read at once, so KCL's shutdown does not wait for the pause. */
    private void stopPolling() {
        AdaptivePolling current = polling;
        if (current != null) {
            current.stop();
        }
    }

    /** Ends supervision; returns the scheduler that is running, if any. */
    private synchronized Scheduler stopScheduling() {
        stopping = true;
        return scheduler;
    }

    /**
     * KCL stops renewing the leases of a stopped worker, so others would wait {@code failoverTimeMs} for them to
     * expire. All their records are checkpointed by now: release them so the leader reassigns them at once.
     */
    private void handOver(Scheduler stopped, List<Lease> leases) {
        LeaseRefresher refresher = stopped.leaseCoordinator().leaseRefresher();
        for (Lease lease : leases) {
            try {
                if (refresher.evictLease(lease)) {
                    LOG.info("Released lease {}", lease.leaseKey());
                }
            } catch (Exception e) {
                LOG.info("Lease {} not released ({}); it expires after {} ms", lease.leaseKey(), e.toString(),
                        config.getFailoverTimeMs());
            }
        }
    }

    private void release() {
        if (schedulerThread != null) {
            try {
                schedulerThread.join(config.getShutdownTimeoutMs());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            schedulerThread = null;
        }
        HealthCheckRegistry health = HealthCheckRegistry.get(getEndpoint().getCamelContext());
        if (health != null && readiness != null) {
            health.unregister(readiness);
        }
        if (metrics != null) {
            metrics.close();
            metrics = null;
        }
        if (polling != null) {
            polling.unregister();
            polling = null;
        }
        if (clients != null) {
            clients.close();
            clients = null;
        }
        scheduler = null;
    }

    /** What a replay of the dead-letter queue did. */
    public record Replay(String table, int replayed, int deadLetteredAgain, int leftForOtherTables) {
    }

    /**
     * Delivers the records of this table that sit in the dead-letter queue into this route again, each exactly as
     * its first delivery (same exchange, headers and retries). A record is deleted from the queue once processed; one
     * that fails {@code maxAttempts} times again is dead-lettered anew (with the new error) and its old letter
     * deleted. Letters of other tables sharing the queue are made visible again at once. Looks at no more letters
     * than the queue held when the replay started (and at most {@code max}), so letters it dead-letters again are
     * not replayed twice in one call. Runs on the caller's thread, next to the shards' own deliveries.
     */
    public Replay replayDeadLetters(int max) {
        DeadLetterQueue queue = deadLetters;
        RecordDelivery records = delivery;
        if (queue == null || records == null) {
            throw new IllegalStateException("ddb-stream:" + config.getTableName() + " has no deadLetterQueue"
                    + (queue == null ? "" : " or is not started"));
        }
        // longer than one record's deliveries with their backoff, so no other replay takes the same letter meanwhile
        int visibility = (int) Math.min(43_200, 60 + config.getMaxAttempts() * config.getMaxRetryDelayMs() / 1000);
        int limit = Math.min(max, queue.approximateSize());
        int looked = 0;
        int replayed = 0;
        int again = 0;
        int others = 0;
        while (looked < limit && !stopping) {
            List<DeadLetterQueue.Letter> letters = queue.receive(limit - looked, visibility);
            if (letters.isEmpty()) {
                break;
            }
            for (DeadLetterQueue.Letter letter : letters) {
                looked++;
                if (!letter.table().equals(config.getTableName())) {
                    queue.release(letter.receiptHandle());
                    others++;
                    continue;
                }
                RecordDelivery.Outcome outcome = records.redeliver(letter.shardId(), letter.record());
                if (outcome == RecordDelivery.Outcome.STOPPED) {
                    // left in the queue: it is visible again after the timeout
                    return new Replay(config.getTableName(), replayed, again, others);
                }
                queue.delete(letter.receiptHandle());
                if (outcome == RecordDelivery.Outcome.DELIVERED) {
                    replayed++;
                } else {
                    again++;
                }
            }
        }
        LOG.info("Replayed dead letters of {}: {} delivered, {} dead-lettered again, {} of other tables left",
                config.getTableName(), replayed, again, others);
        return new Replay(config.getTableName(), replayed, again, others);
    }

    /** The table this consumer reads. */
    public String tableName() {
        return config.getTableName();
    }

    /** The readiness check of this consumer (also registered in Camel's health-check registry). */
    public HealthCheck readiness() {
        return readiness;
    }

    int leasesHeld() {
        Scheduler s = scheduler;
        try {
            return s == null ? 0 : s.leaseCoordinator().getAssignments().size();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private MeterRegistry meterRegistry() {
        MeterRegistry registry = getEndpoint().getCamelContext().getRegistry().findSingleByType(MeterRegistry.class);
        return registry != null ? registry : Metrics.globalRegistry;
    }
}
