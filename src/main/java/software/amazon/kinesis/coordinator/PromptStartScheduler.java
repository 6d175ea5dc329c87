package software.amazon.kinesis.coordinator;

import software.amazon.kinesis.checkpoint.CheckpointConfig;
import software.amazon.kinesis.leases.LeaseManagementConfig;
import software.amazon.kinesis.leases.exceptions.DependencyException;
import software.amazon.kinesis.leases.exceptions.InvalidStateException;
import software.amazon.kinesis.leases.exceptions.ProvisionedThroughputException;
import software.amazon.kinesis.lifecycle.LifecycleConfig;
import software.amazon.kinesis.metrics.MetricsConfig;
import software.amazon.kinesis.processor.ProcessorConfig;
import software.amazon.kinesis.retrieval.RetrievalConfig;

/**
 * KCL's scheduler without the random 1-30 s pause a brand-new application (empty lease table) takes before its
 * first shard sync. KCL pauses so that workers starting together do not all sync; but the sync at initialisation is
 * done only by the elected leader anyway, and lease creation is conditional, so a second syncer costs a few reads
 * and writes, never a wrong lease. Lives in KCL's package because the method it replaces is package-private
 * ({@code ddb-stream}'s only reach into KCL internals besides the adapter bridge).
 */
public class PromptStartScheduler extends Scheduler {

    public PromptStartScheduler(CheckpointConfig checkpointConfig, CoordinatorConfig coordinatorConfig,
                                LeaseManagementConfig leaseManagementConfig, LifecycleConfig lifecycleConfig,
                                MetricsConfig metricsConfig, ProcessorConfig processorConfig,
                                RetrievalConfig retrievalConfig) {
        super(checkpointConfig, coordinatorConfig, leaseManagementConfig, lifecycleConfig, metricsConfig,
                processorConfig, retrievalConfig);
    }

    @Override
    boolean shouldInitiateLeaseSync()
            throws DependencyException, ProvisionedThroughputException, InvalidStateException {
        return leaseCoordinator().leaseRefresher().isLeaseTableEmpty();
    }
}
