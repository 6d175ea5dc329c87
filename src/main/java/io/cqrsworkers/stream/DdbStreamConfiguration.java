package io.cqrsworkers.stream;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import software.amazon.kinesis.leases.LeaseAssignmentStrategy;

/**
 * Options of a {@code ddb-stream:<tableName>?...} endpoint. Connection options can also be set once on the
 * component ({@code camel.component.ddb-stream.uri-endpoint-override=...}); every endpoint starts from a copy.
 * Defaults suit production; the README lists the low-latency and test settings.
 */
public class DdbStreamConfiguration implements Cloneable {

    // connection
    private String region;
    private boolean overrideEndpoint;
    private String uriEndpointOverride;
    private String accessKey;
    private String secretKey;
    private String sqsUriEndpointOverride;

    // what to read
    private String tableName;
    private String applicationName;
    private boolean requireLeaseTable;
    private String workerId;
    private String eventNames;
    private StartingPosition startingPosition = StartingPosition.TRIM_HORIZON;
    private int batchSize = 100;

    // failure handling
    private int maxAttempts = 3;
    private long retryDelayMs = 200;
    private long maxRetryDelayMs = 5_000;
    private String deadLetterQueue;

    // KCL timings
    private long idleTimeBetweenReadsMs = 500;
    private long maxIdleTimeBetweenReadsMs;
    private long parentShardPollIntervalMs = 1_000;
    private long dispatchPollIntervalMs = 500;
    private long failoverTimeMs = 10_000;
    private long leaseAssignmentIntervalMs;
    private long leaderLeaseDurationMs = 30_000;
    private long workerMetricsIntervalMs = 30_000;
    private long shutdownTimeoutMs = 30_000;
    private long readinessLeaseWaitMs = 10_000;
    private LeaseAssignmentStrategy leaseAssignment = LeaseAssignmentStrategy.LEASE_COUNT_BASED;

    public DdbStreamConfiguration copy() {
        try {
            return (DdbStreamConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The lease table name; replicas that share it share the shards. */
    public String effectiveApplicationName() {
        return applicationName != null && !applicationName.isBlank() ? applicationName : tableName + "-ddb-stream";
    }

    /** Upper-cased event names to deliver; empty means all. */
    public Set<String> eventNameFilter() {
        if (eventNames == null || eventNames.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(eventNames.split(","))
                .map(s -> s.trim().toUpperCase(Locale.ROOT))
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    void validate() {
        if (tableName == null || tableName.isBlank()) {
            throw new IllegalArgumentException("ddb-stream needs a table name: ddb-stream:<tableName>");
        }
        if (batchSize < 1 || batchSize > 1000) {
            throw new IllegalArgumentException("batchSize must be 1..1000 (GetRecords limit), was " + batchSize);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        Set<String> known = Set.of("INSERT", "MODIFY", "REMOVE");
        for (String name : eventNameFilter()) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("eventNames: unknown event name " + name + ", expected " + known);
            }
        }
    }

    public String getRegion() {
        return region;
    }

    /** AWS region; default: the SDK's region provider chain. */
    public void setRegion(String region) {
        this.region = region;
    }

    public boolean isOverrideEndpoint() {
        return overrideEndpoint;
    }

    /** Use {@link #setUriEndpointOverride} for the DynamoDB and DynamoDB Streams clients. */
    public void setOverrideEndpoint(boolean overrideEndpoint) {
        this.overrideEndpoint = overrideEndpoint;
    }

    public String getUriEndpointOverride() {
        return uriEndpointOverride;
    }

    public void setUriEndpointOverride(String uriEndpointOverride) {
        this.uriEndpointOverride = uriEndpointOverride;
    }

    public boolean isRequireLeaseTable() {
        return requireLeaseTable;
    }

    /**
     * The lease table (named after the application) must exist: the consumer does not start without it, instead of
     * letting KCL create it. For deployments that create their lease tables and grant no CreateTable.
     */
    public void setRequireLeaseTable(boolean requireLeaseTable) {
        this.requireLeaseTable = requireLeaseTable;
    }

    public String getAccessKey() {
        return accessKey;
    }

    /** Static credentials; without them the SDK's default credentials provider chain is used. */
    public void setAccessKey(String accessKey) {
        this.accessKey = accessKey;
    }

    public String getSecretKey() {
        return secretKey;
    }

    public void setSecretKey(String secretKey) {
        this.secretKey = secretKey;
    }

    public String getSqsUriEndpointOverride() {
        return sqsUriEndpointOverride;
    }

    /** SQS endpoint for a dead-letter queue given by name; a queue URL carries its own endpoint. */
    public void setSqsUriEndpointOverride(String sqsUriEndpointOverride) {
        this.sqsUriEndpointOverride = sqsUriEndpointOverride;
    }

    public String getTableName() {
        return tableName;
    }

    public void setTableName(String tableName) {
        this.tableName = tableName;
    }

    public String getApplicationName() {
        return applicationName;
    }

    /** KCL application = lease table name; default {@code <tableName>-ddb-stream}. */
    public void setApplicationName(String applicationName) {
        this.applicationName = applicationName;
    }

    public String getWorkerId() {
        return workerId;
    }

    /** Lease owner name of this replica; default: host name + random suffix. */
    public void setWorkerId(String workerId) {
        this.workerId = workerId;
    }

    public String getEventNames() {
        return eventNames;
    }

    /** Comma-separated INSERT, MODIFY, REMOVE; default all. Filtered records are checkpointed, not delivered. */
    public void setEventNames(String eventNames) {
        this.eventNames = eventNames;
    }

    public StartingPosition getStartingPosition() {
        return startingPosition;
    }

    public void setStartingPosition(StartingPosition startingPosition) {
        this.startingPosition = startingPosition;
    }

    public int getBatchSize() {
        return batchSize;
    }

    /** Records per GetRecords call (1..1000); the batch is checkpointed once all its records are done. */
    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public int getMaxAttempts() {
        return maxAttempts;
    }

    /** Deliveries of one record before it goes to the dead-letter queue. */
    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public long getRetryDelayMs() {
        return retryDelayMs;
    }

    /** Delay before the first retry; doubles on each further retry up to {@link #setMaxRetryDelayMs}. */
    public void setRetryDelayMs(long retryDelayMs) {
        this.retryDelayMs = retryDelayMs;
    }

    public long getMaxRetryDelayMs() {
        return maxRetryDelayMs;
    }

    public void setMaxRetryDelayMs(long maxRetryDelayMs) {
        this.maxRetryDelayMs = maxRetryDelayMs;
    }

    public String getDeadLetterQueue() {
        return deadLetterQueue;
    }

    /** SQS queue URL or name that receives a record (JSON) and its error after maxAttempts. */
    public void setDeadLetterQueue(String deadLetterQueue) {
        this.deadLetterQueue = deadLetterQueue;
    }

    public long getIdleTimeBetweenReadsMs() {
        return idleTimeBetweenReadsMs;
    }

    /**
     * Pause between GetRecords calls on a shard while they bring records; after an empty call it doubles, up to
     * {@link #setMaxIdleTimeBetweenReadsMs}.
     */
    public void setIdleTimeBetweenReadsMs(long idleTimeBetweenReadsMs) {
        this.idleTimeBetweenReadsMs = idleTimeBetweenReadsMs;
    }

    public long getMaxIdleTimeBetweenReadsMs() {
        return maxIdleTimeBetweenReadsMs;
    }

    /** The longest pause between GetRecords calls on an idle shard (see {@link AdaptivePolling}). */
    public long effectiveMaxIdleTimeBetweenReadsMs() {
        return maxIdleTimeBetweenReadsMs > 0 ? Math.max(maxIdleTimeBetweenReadsMs, idleTimeBetweenReadsMs)
                : 2 * idleTimeBetweenReadsMs;
    }

    /**
     * The longest pause between GetRecords calls on an idle shard: each empty call doubles the pause up to this. A
     * write to the table by an SDK client of this JVM ends the pause at once ({@link AdaptivePolling}). 0 (default):
     * twice {@code idleTimeBetweenReadsMs}, the DynamoDB Streams adapter's own rule.
     */
    public void setMaxIdleTimeBetweenReadsMs(long maxIdleTimeBetweenReadsMs) {
        this.maxIdleTimeBetweenReadsMs = maxIdleTimeBetweenReadsMs;
    }

    public long getParentShardPollIntervalMs() {
        return parentShardPollIntervalMs;
    }

    /** How often a child shard checks whether its parent is finished (KCL default 10 s). */
    public void setParentShardPollIntervalMs(long parentShardPollIntervalMs) {
        this.parentShardPollIntervalMs = parentShardPollIntervalMs;
    }

    public long getDispatchPollIntervalMs() {
        return dispatchPollIntervalMs;
    }

    /** Scheduler loop period: how fast new leases start being read. */
    public void setDispatchPollIntervalMs(long dispatchPollIntervalMs) {
        this.dispatchPollIntervalMs = dispatchPollIntervalMs;
    }

    public long getFailoverTimeMs() {
        return failoverTimeMs;
    }

    /** Lease duration: a crashed replica's shards are taken over after about this long. */
    public void setFailoverTimeMs(long failoverTimeMs) {
        this.failoverTimeMs = failoverTimeMs;
    }

    public long getLeaseAssignmentIntervalMs() {
        return leaseAssignmentIntervalMs;
    }

    /**
     * How often the leader hands out unassigned leases, among them the child shards after a rollover; workers look
     * for new leases twice as often. 0 (default) = KCL's 2 x failoverTimeMs.
     */
    public void setLeaseAssignmentIntervalMs(long leaseAssignmentIntervalMs) {
        this.leaseAssignmentIntervalMs = leaseAssignmentIntervalMs;
    }

    public long getReadinessLeaseWaitMs() {
        return readinessLeaseWaitMs;
    }

    /**
     * How long readiness waits, once the KCL worker has started, for this replica's first lease, so that a service
     * reported ready reads its stream (on a first start the leader hands leases out a few seconds after the worker
     * starts). A replica that gets none meanwhile (others hold every shard) is ready when the wait ends. 0: ready
     * as soon as the worker has started.
     */
    public void setReadinessLeaseWaitMs(long readinessLeaseWaitMs) {
        this.readinessLeaseWaitMs = readinessLeaseWaitMs;
    }

    public long getLeaderLeaseDurationMs() {
        return leaderLeaseDurationMs;
    }

    /** Leader lock duration (the leader assigns leases); KCL's default is 2 minutes. */
    public void setLeaderLeaseDurationMs(long leaderLeaseDurationMs) {
        this.leaderLeaseDurationMs = leaderLeaseDurationMs;
    }

    public long getWorkerMetricsIntervalMs() {
        return workerMetricsIntervalMs;
    }

    /** How often a replica reports itself alive to the leader; a new replica gets leases after its first report. */
    public void setWorkerMetricsIntervalMs(long workerMetricsIntervalMs) {
        this.workerMetricsIntervalMs = workerMetricsIntervalMs;
    }

    public long getShutdownTimeoutMs() {
        return shutdownTimeoutMs;
    }

    /** Longest a graceful stop waits for the current batch and the lease hand-over. */
    public void setShutdownTimeoutMs(long shutdownTimeoutMs) {
        this.shutdownTimeoutMs = shutdownTimeoutMs;
    }

    public LeaseAssignmentStrategy getLeaseAssignment() {
        return leaseAssignment;
    }

    /** LEASE_COUNT_BASED (even spread, default) or WORKER_UTILIZATION_AWARE (KCL 3's CPU-based balancing). */
    public void setLeaseAssignment(LeaseAssignmentStrategy leaseAssignment) {
        this.leaseAssignment = leaseAssignment;
    }
}
