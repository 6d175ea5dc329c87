package io.cqrsworkers.stream;

import com.amazonaws.services.dynamodbv2.streamsadapter.AmazonDynamoDBStreamsAdapterClient;
import com.amazonaws.services.dynamodbv2.streamsadapter.DynamoDBStreamsLeaseManagementFactory;
import software.amazon.kinesis.common.StreamConfig;
import software.amazon.kinesis.coordinator.DeletedStreamListProvider;
import software.amazon.kinesis.coordinator.StreamInfoManager;
import software.amazon.kinesis.leases.LeaseManagementConfig;
import software.amazon.kinesis.leases.ShardSyncTaskManager;
import software.amazon.kinesis.metrics.MetricsFactory;
import software.amazon.kinesis.retrieval.RetrievalConfig;

/**
 * Bridges adapter 2.0.1 (built for KCL 3.1) to KCL 3.5: since KCL 3.4 the scheduler asks for its shard-sync task
 * manager through a four-argument method the adapter does not override, and would silently get Kinesis' syncer
 * (which fails with "listShardsWithFilter not available"). This routes that call to the adapter's DynamoDB
 * Streams syncer. The extra StreamInfoManager serves KCL's stream-id feature, which is off by default.
 */
final class StreamsLeaseManagementFactory extends DynamoDBStreamsLeaseManagementFactory {

    StreamsLeaseManagementFactory(AmazonDynamoDBStreamsAdapterClient adapter, LeaseManagementConfig leases,
                                  RetrievalConfig retrieval) {
        super(adapter, leases, retrieval);
    }

    @Override
    public ShardSyncTaskManager createShardSyncTaskManager(MetricsFactory metricsFactory, StreamConfig streamConfig,
                                                           DeletedStreamListProvider deletedStreams,
                                                           StreamInfoManager streamInfoManager) {
        return createShardSyncTaskManager(metricsFactory, streamConfig, deletedStreams);
    }
}
