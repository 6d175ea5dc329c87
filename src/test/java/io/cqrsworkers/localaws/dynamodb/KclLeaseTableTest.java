package io.cqrsworkers.localaws.dynamodb;

import io.cqrsworkers.localaws.emulator.ManualClock;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableRequest;
import software.amazon.kinesis.common.DdbTableConfig;
import software.amazon.kinesis.leases.Lease;
import software.amazon.kinesis.leases.dynamodb.DynamoDBLeaseRefresher;
import software.amazon.kinesis.leases.dynamodb.DynamoDBLeaseSerializer;
import software.amazon.kinesis.leases.dynamodb.TableCreatorCallback;
import software.amazon.kinesis.leases.exceptions.DependencyException;
import software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    /**
     * Creating the lease-owner index costs a KCL start no poll: KCL checks the index right after UpdateTable and,
     * when it is not ACTIVE yet, sleeps its poll interval (10 s in DynamicMigrationComponentsInitializer.createGsi)
     * before it looks again. With the default status delay the index is ACTIVE at the first check.
     */
    @Test
    void theLeaseOwnerIndexIsActiveAtKclsFirstCheck() throws Exception {
        try (DynamoDbEmulator emulator = DynamoDbEmulator.builder().port(0).build()) {
            emulator.start();
            try (DynamoDbAsyncClient async = client(emulator, null)) {
                DynamoDBLeaseRefresher leases = refresher("app-quick", async);
                leases.createLeaseTableIfNotExists();
                assertThat(leases.waitUntilLeaseTableExists(10, 60)).isTrue();
                long started = System.nanoTime();
                assertThat(leases.createLeaseOwnerToLeaseKeyIndexIfNotExists()).isEqualTo("CREATING");
                assertThat(leases.waitUntilLeaseOwnerToLeaseKeyIndexExists(10, 60)).isTrue();
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            }
        }
    }

    /**
     * Two workers on a fresh lease table: both find no index, both ask for it. The second UpdateTable arrives while
     * the table is UPDATING and gets AWS's ResourceInUseException, which KCL 3.5.1 does not absorb: it reports it as
     * DependencyException (and its Scheduler does not repeat the step on its next initialisation attempt). Once the
     * index is there, the same call finds it and succeeds.
     */
    @Test
    void theWorkerThatLosesTheIndexRaceGetsResourceInUseWhichKclReportsAsDependencyException() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2024-01-01T00:00:00Z"));
        CountDownLatch secondAsks = new CountDownLatch(1);
        CountDownLatch firstCreated = new CountDownLatch(1);
        try (DynamoDbEmulator emulator = DynamoDbEmulator.builder().port(0).clock(clock)
                .tableStatusDelay(Duration.ofSeconds(5)).build()) {
            emulator.start();
            ExecutionInterceptor waitForTheFirst = new ExecutionInterceptor() {
                @Override
                public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                    if (context.request() instanceof UpdateTableRequest) {
                        secondAsks.countDown();
                        try {
                            firstCreated.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }
            };
            try (DynamoDbAsyncClient first = client(emulator, null);
                 DynamoDbAsyncClient second = client(emulator, waitForTheFirst)) {
                DynamoDBLeaseRefresher one = refresher("app-race", first);
                DynamoDBLeaseRefresher two = refresher("app-race", second);
                one.createLeaseTableIfNotExists();
                clock.advance(Duration.ofSeconds(5));
                assertThat(one.leaseTableExists()).isTrue();

                // the second worker describes the table (no index) and then waits before its UpdateTable
                CompletableFuture<String> losing = CompletableFuture.supplyAsync(() -> {
                    try {
                        return two.createLeaseOwnerToLeaseKeyIndexIfNotExists();
                    } catch (DependencyException e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                });
                assertThat(secondAsks.await(30, TimeUnit.SECONDS)).isTrue();
                assertThat(one.createLeaseOwnerToLeaseKeyIndexIfNotExists()).isEqualTo("CREATING");
                firstCreated.countDown();
                assertThatThrownBy(() -> losing.get(30, TimeUnit.SECONDS))
                        .cause().isInstanceOf(DependencyException.class)
                        .cause().isInstanceOf(ResourceInUseException.class)
                        .hasMessageStartingWith("Attempt to change a resource which is still in use: Table is being "
                                + "updated: app-race");
                assertThat(two.isLeaseOwnerToLeaseKeyIndexActive()).isFalse();
                assertThat(two.createLeaseOwnerToLeaseKeyIndexIfNotExists()).isEqualTo("CREATING");

                clock.advance(Duration.ofSeconds(5));
                assertThat(two.isLeaseOwnerToLeaseKeyIndexActive()).isTrue();
                assertThat(two.createLeaseOwnerToLeaseKeyIndexIfNotExists()).isEqualTo("ACTIVE");
            }
        }
    }

    private static DynamoDbAsyncClient client(DynamoDbEmulator emulator, ExecutionInterceptor interceptor) {
        return DynamoDbAsyncClient.builder().endpointOverride(emulator.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(TestSupport.CREDENTIALS)
                .overrideConfiguration(o -> {
                    if (interceptor != null) {
                        o.addExecutionInterceptor(interceptor);
                    }
                }).build();
    }

    private static DynamoDBLeaseRefresher refresher(String table, DynamoDbAsyncClient client) {
        return new DynamoDBLeaseRefresher(table, client, new DynamoDBLeaseSerializer(), true,
                TableCreatorCallback.NOOP_TABLE_CREATOR_CALLBACK, Duration.ofSeconds(10), new DdbTableConfig(), true,
                false, List.of());
    }
}
