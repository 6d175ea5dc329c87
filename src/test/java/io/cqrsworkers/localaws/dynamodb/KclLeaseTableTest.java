package io.cqrsworkers.localaws.dynamodb;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.kinesis.common.DdbTableConfig;
import software.amazon.kinesis.leases.Lease;
import software.amazon.kinesis.leases.dynamodb.DynamoDBLeaseRefresher;
import software.amazon.kinesis.leases.dynamodb.DynamoDBLeaseSerializer;
import software.amazon.kinesis.leases.dynamodb.TableCreatorCallback;
import software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kinesis Client Library 3.5.1's own lease-table code (DynamoDBLeaseRefresher) against the emulator: table and
 * GSI creation, conditional create/take/renew/update/evict/delete, scans and the lease-owner index query.
 */
class KclLeaseTableTest {

    @Test
    void kclLeaseLifecycle() throws Exception {
        try (DynamoDbEmulator emulator = DynamoDbEmulator.builder().port(0).build()) {
            emulator.start();
            try (DynamoDbAsyncClient async = DynamoDbAsyncClient.builder().endpointOverride(emulator.endpoint())
                    .region(Region.US_EAST_1).credentialsProvider(TestSupport.CREDENTIALS).build()) {
                DynamoDBLeaseRefresher leases = new DynamoDBLeaseRefresher("app-leases", async,
                        new DynamoDBLeaseSerializer(), true, TableCreatorCallback.NOOP_TABLE_CREATOR_CALLBACK,
                        Duration.ofSeconds(10), new DdbTableConfig(), true, false, List.of());
                leases.createLeaseTableIfNotExists();
                assertThat(leases.waitUntilLeaseTableExists(1, 30)).isTrue();
                leases.createLeaseOwnerToLeaseKeyIndexIfNotExists();
                assertThat(leases.waitUntilLeaseOwnerToLeaseKeyIndexExists(1, 30)).isTrue();
                assertThat(leases.isLeaseTableEmpty()).isTrue();

                Lease lease = new Lease();
                lease.leaseKey("shardId-00000001");
                lease.checkpoint(ExtendedSequenceNumber.TRIM_HORIZON);
                lease.leaseCounter(0L);
                assertThat(leases.createLeaseIfNotExists(lease)).isTrue();
                assertThat(leases.createLeaseIfNotExists(lease)).isFalse();

                Lease current = leases.getLease("shardId-00000001");
                assertThat(leases.takeLease(current, "worker-1")).isTrue();
                assertThat(current.leaseOwner()).isEqualTo("worker-1");
                assertThat(leases.renewLease(current)).isTrue();
                assertThat(leases.listLeaseKeysForWorker("worker-1")).containsExactly("shardId-00000001");
                Lease stolen = leases.getLease("shardId-00000001");
                assertThat(leases.takeLease(stolen, "worker-2")).isTrue();
                assertThat(leases.renewLease(current)).isFalse(); // worker-1 lost it
                assertThat(leases.listLeaseKeysForWorker("worker-1")).isEmpty();
                current = leases.getLease("shardId-00000001");

                current.checkpoint(new ExtendedSequenceNumber("100000000000000000042"));
                assertThat(leases.updateLease(current)).isTrue();
                assertThat(leases.getCheckpoint("shardId-00000001").sequenceNumber())
                        .isEqualTo("100000000000000000042");
                assertThat(leases.listLeases()).hasSize(1);

                assertThat(leases.evictLease(current)).isTrue();
                assertThat(leases.getLease("shardId-00000001").leaseOwner()).isNull();
                leases.deleteLease(leases.getLease("shardId-00000001"));
                assertThat(leases.isLeaseTableEmpty()).isTrue();
            }
        }
    }
}
