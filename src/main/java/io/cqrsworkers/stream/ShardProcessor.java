package io.cqrsworkers.stream;

import java.util.function.BooleanSupplier;

import com.amazonaws.services.dynamodbv2.streamsadapter.adapter.DynamoDBStreamsClientRecord;
import com.amazonaws.services.dynamodbv2.streamsadapter.model.DynamoDBStreamsProcessRecordsInput;
import com.amazonaws.services.dynamodbv2.streamsadapter.processor.DynamoDBStreamsShardRecordProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.kinesis.exceptions.InvalidStateException;
import software.amazon.kinesis.exceptions.ShutdownException;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;

/**
 * KCL record processor of one shard lease. Records are delivered one after the other (order per shard = per
 * item) and the checkpoint moves only past records that are done, so a stop or crash never skips a record.
 */
final class ShardProcessor implements DynamoDBStreamsShardRecordProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(ShardProcessor.class);

    private final RecordDelivery delivery;
    private final StreamMetrics metrics;
    /** False once the consumer was halted: a crashed process writes no checkpoint either. */
    private final BooleanSupplier mayCheckpoint;
    private String shardId;
    /** Sequence number of the last record that is done, and of the last one checkpointed. */
    private String done;
    private String checkpointed;
    /** Set when a batch was left unfinished because the consumer stops: SHARD_END must not be written then. */
    private boolean interrupted;

    ShardProcessor(RecordDelivery delivery, StreamMetrics metrics, BooleanSupplier mayCheckpoint) {
        this.delivery = delivery;
        this.metrics = metrics;
        this.mayCheckpoint = mayCheckpoint;
    }

    @Override
    public void initialize(InitializationInput input) {
        shardId = input.shardId();
        LOG.info("Reading shard {} from {}", shardId, input.extendedSequenceNumber());
    }

    @Override
    public void processRecords(DynamoDBStreamsProcessRecordsInput input) {
        metrics.read.increment(input.records().size());
        for (DynamoDBStreamsClientRecord record : input.records()) {
            if (!delivery.deliver(shardId, record)) {
                if (!interrupted) {
                    LOG.info("Stopping in shard {}: records after {} will be read again", shardId, done);
                }
                interrupted = true;
                break;
            }
            done = record.sequenceNumber();
        }
        checkpoint(input.checkpointer());
    }

    @Override
    public void leaseLost(LeaseLostInput input) {
        LOG.info("Lease on shard {} lost; its new owner continues from checkpoint {}", shardId, checkpointed);
    }

    @Override
    public void shardEnded(ShardEndedInput input) {
        if (interrupted || !mayCheckpoint.getAsBoolean()) {
            LOG.info("Shard {} ended but was not fully processed; leaving it to the next owner", shardId);
            return;
        }
        try {
            input.checkpointer().checkpoint();
            metrics.checkpoints.increment();
            LOG.info("Shard {} finished; its children may start", shardId);
        } catch (ShutdownException | InvalidStateException e) {
            LOG.warn("Could not checkpoint the end of shard {}: {}", shardId, e.toString());
        }
    }

    @Override
    public void shutdownRequested(ShutdownRequestedInput input) {
        checkpoint(input.checkpointer());
        LOG.info("Handing over shard {} at {}", shardId, checkpointed);
    }

    private void checkpoint(RecordProcessorCheckpointer checkpointer) {
        if (done == null || done.equals(checkpointed) || !mayCheckpoint.getAsBoolean()) {
            return;
        }
        try {
            checkpointer.checkpoint(done);
            checkpointed = done;
            metrics.checkpoints.increment();
        } catch (ShutdownException e) {
            LOG.info("Lease on shard {} is gone; not checkpointing {}", shardId, done);
        } catch (InvalidStateException | RuntimeException e) {
            // the next batch or the hand-over checkpoints again; until then at most this batch is read twice
            LOG.warn("Checkpoint {} of shard {} failed: {}", done, shardId, e.toString());
        }
    }
}
