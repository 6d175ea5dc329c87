package io.cqrsworkers.stream;

import com.amazonaws.services.dynamodbv2.streamsadapter.AmazonDynamoDBStreamsAdapterClient;
import com.amazonaws.services.dynamodbv2.streamsadapter.DynamoDBStreamsConsumerTaskFactory;
import com.amazonaws.services.dynamodbv2.streamsadapter.DynamoDBStreamsDataFetcher;
import com.amazonaws.services.dynamodbv2.streamsadapter.StreamsSchedulerFactory;
import com.amazonaws.services.dynamodbv2.streamsadapter.polling.DynamoDBStreamsPollingConfig;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.coordinator.CoordinatorConfig;
import software.amazon.kinesis.coordinator.PromptStartScheduler;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.coordinator.WorkerStateChangeListener;
import software.amazon.kinesis.leases.LeaseManagementConfig;
import software.amazon.kinesis.metrics.MetricsConfig;
import software.amazon.kinesis.metrics.MetricsLevel;
import software.amazon.kinesis.metrics.NullMetricsFactory;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;
import software.amazon.kinesis.processor.StreamTracker;
import software.amazon.kinesis.retrieval.RetrievalConfig;

/** Builds the KCL 3 scheduler for one DynamoDB stream through the Streams adapter, with this endpoint's settings. */
final class KclScheduler {

    private KclScheduler() {
    }

    static Scheduler create(DdbStreamConfiguration config, StreamClients clients, String streamArn, String workerId,
                            ShardRecordProcessorFactory processors, WorkerStateChangeListener stateListener,
                            AdaptivePolling polling) {
        InitialPositionInStream start = config.getStartingPosition() == StartingPosition.LATEST
                ? InitialPositionInStream.LATEST : InitialPositionInStream.TRIM_HORIZON;
        StreamTracker tracker = StreamsSchedulerFactory.createSingleStreamTracker(
                streamArn, InitialPositionInStreamExtended.newInitialPosition(start));
        AmazonDynamoDBStreamsAdapterClient adapter = new AmazonDynamoDBStreamsAdapterClient(clients.streams, clients.region);
        ConfigsBuilder configs = new ConfigsBuilder(tracker, config.effectiveApplicationName(), adapter,
                clients.dynamoDb, clients.cloudWatch, workerId, processors);

        CoordinatorConfig coordinator = configs.coordinatorConfig()
                .parentShardPollIntervalMillis(config.getParentShardPollIntervalMs())
                .shardConsumerDispatchPollIntervalMillis(config.getDispatchPollIntervalMs())
                .skipShardSyncAtWorkerInitializationIfLeasesExist(true)
                // no retry inside a scheduler: KCL 3.5.1's migration state machine records its start before the
                // steps that may fail (creating the lease table's LeaseOwnerToLeaseKeyIndex, which two replicas
                // starting on a fresh lease table race to do), and a retry skips them, leaving a worker that reports
                // no metrics and is never assigned a lease. DdbStreamConsumer starts a fresh scheduler instead
                .maxInitializationAttempts(1)
                .workerStateChangeListener(stateListener);

        LeaseManagementConfig leases = configs.leaseManagementConfig()
                .failoverTimeMillis(config.getFailoverTimeMs())
                .leaseAssignmentStrategy(config.getLeaseAssignment())
                .dynamoDbLockBasedLeaderLeaseDurationInMillis(config.getLeaderLeaseDurationMs())
                .dynamoDbLockBasedLeaderHeartbeatPeriodInMillis(Math.max(200, config.getLeaderLeaseDurationMs() / 4));
        if (config.getLeaseAssignmentIntervalMs() > 0) {
            leases.leaseAssignmentIntervalMillis(config.getLeaseAssignmentIntervalMs());
        }
        leases.workerUtilizationAwareAssignmentConfig()
                .workerMetricsReporterFreqInMillis(config.getWorkerMetricsIntervalMs())
                .inMemoryWorkerMetricsCaptureFrequencyMillis(Math.min(1_000, config.getWorkerMetricsIntervalMs()));
        leases.gracefulLeaseHandoffConfig().gracefulLeaseHandoffTimeoutMillis(config.getShutdownTimeoutMs());

        // no CloudWatch: nothing is published, so no CloudWatch endpoint is ever called
        MetricsConfig metrics = configs.metricsConfig()
                .metricsFactory(new NullMetricsFactory())
                .metricsLevel(MetricsLevel.NONE);

        DynamoDBStreamsPollingConfig retrievalPolling = new DynamoDBStreamsPollingConfig(adapter)
                .idleTimeBetweenReadsInMillis(config.getIdleTimeBetweenReadsMs());
        retrievalPolling.maxRecords(config.getBatchSize());
        RetrievalConfig retrieval = configs.retrievalConfig().retrievalSpecificConfig(retrievalPolling);

        // what StreamsSchedulerFactory.createScheduler sets up, with the KCL 3.5 bridge as lease management factory
        retrievalPolling.dataFetcherProvider(fetcherConfig -> new DynamoDBStreamsDataFetcher(adapter, fetcherConfig));
        // instead of the adapter's DynamoDBStreamsSleepTimeController: long pauses on an idle stream, cut short by
        // a write to the table
        retrievalPolling.sleepTimeController(polling);
        // the factory copies the config when it is built, so settle the values first; without the 0 every shard
        // sync task idles 60 s (KCL's default interval) before the worker can start
        leases.consumerTaskFactory(new DynamoDBStreamsConsumerTaskFactory())
                .leasesRecoveryAuditorInconsistencyConfidenceThreshold(0)
                .shardSyncIntervalMillis(0);
        leases.leaseManagementFactory(new StreamsLeaseManagementFactory(adapter, leases, retrieval));

        // a new application syncs its shards at once instead of after KCL's random 1-30 s (see PromptStartScheduler)
        return new PromptStartScheduler(configs.checkpointConfig(), coordinator, leases, configs.lifecycleConfig(), metrics,
                configs.processorConfig(), retrieval);
    }
}
