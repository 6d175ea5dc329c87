package io.cqrsworkers.localaws.dynamodb;

import io.cqrsworkers.localaws.emulator.ManualClock;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableResponse;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * UpdateTable while the table is busy: one update at a time, a new global secondary index CREATING while the table is
 * UPDATING, and AWS's errors for the update that loses (API reference, UpdateTable: "While it's UPDATING, you can't
 * issue another UpdateTable request"; GlobalSecondaryIndexDescription: IndexStatus CREATING, then ACTIVE).
 */
class UpdateTableTest {

    private static final String INDEX = "LeaseOwnerToLeaseKeyIndex";

    /** Two workers creating the same index at the same moment, as two KCL 3 workers do on a fresh lease table. */
    @Test
    void concurrentIndexCreationsLeaveOneWinnerAndTheOtherInUseUntilTheIndexIsActive() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2024-01-01T00:00:00Z"));
        try (DynamoDbEmulator emulator = DynamoDbEmulator.builder().port(0).clock(clock)
                .tableStatusDelay(Duration.ofSeconds(5)).build()) {
            emulator.start();
            DynamoDbClient client = TestSupport.client(emulator.endpoint());
            client.createTable(TestSupport.table("leases", null).build());
            clock.advance(Duration.ofSeconds(5));
            client.putItem(r -> r.tableName("leases").item(TestSupport.item("pk", TestSupport.s("shard-1"),
                    "owner", TestSupport.s("worker-1"))));

            List<Object> outcomes = createConcurrently(client, "leases", 2);
            List<UpdateTableResponse> won = outcomes.stream().filter(UpdateTableResponse.class::isInstance)
                    .map(UpdateTableResponse.class::cast).toList();
            List<DynamoDbException> lost = outcomes.stream().filter(DynamoDbException.class::isInstance)
                    .map(DynamoDbException.class::cast).toList();
            assertThat(won).hasSize(1);
            assertThat(lost).hasSize(1);
            assertThat(lost.get(0)).isInstanceOf(ResourceInUseException.class);
            assertThat(lost.get(0).awsErrorDetails().errorMessage())
                    .isEqualTo("Attempt to change a resource which is still in use: Table is being updated: leases");
            TableDescription answered = won.get(0).tableDescription();
            assertThat(answered.tableStatusAsString()).isEqualTo("UPDATING");
            assertThat(index(answered).indexStatusAsString()).isEqualTo("CREATING");

            TableDescription during = client.describeTable(r -> r.tableName("leases")).table();
            assertThat(during.tableStatusAsString()).isEqualTo("UPDATING");
            assertThat(during.globalSecondaryIndexes()).hasSize(1);
            assertThat(index(during).indexStatusAsString()).isEqualTo("CREATING");
            assertThat(index(during).backfilling()).isFalse();
            // the table itself is served while it is UPDATING
            assertThat(client.getItem(r -> r.tableName("leases").key(TestSupport.item("pk", TestSupport.s("shard-1"))))
                    .item()).containsKey("owner");
            // so is any other update refused until the table is ACTIVE again
            assertThatThrownBy(() -> client.updateTable(r -> r.tableName("leases").deletionProtectionEnabled(true)))
                    .isInstanceOf(ResourceInUseException.class);

            clock.advance(Duration.ofSeconds(5));
            TableDescription after = client.describeTable(r -> r.tableName("leases")).table();
            assertThat(after.tableStatusAsString()).isEqualTo("ACTIVE");
            assertThat(index(after).indexStatusAsString()).isEqualTo("ACTIVE");
            assertThat(index(after).backfilling()).isNull();
            assertThat(client.query(r -> r.tableName("leases").indexName(INDEX).keyConditionExpression("#o = :o")
                    .expressionAttributeNames(java.util.Map.of("#o", "owner"))
                    .expressionAttributeValues(java.util.Map.of(":o", TestSupport.s("worker-1")))).count()).isEqualTo(1);
            // once the index exists and the table is ACTIVE, creating it again is a validation error
            assertThatThrownBy(() -> createIndex(client, "leases"))
                    .isInstanceOf(DynamoDbException.class)
                    .satisfies(e -> assertThat(((DynamoDbException) e).awsErrorDetails().errorCode())
                            .isEqualTo("ValidationException"))
                    .satisfies(e -> assertThat(((DynamoDbException) e).awsErrorDetails().errorMessage())
                            .isEqualTo("Attempting to create an index which already exists"));
            client.close();
        }
    }

    /** Without a status delay (the default) the update is done at once, but only one of the racers adds the index. */
    @Test
    void withoutStatusDelayTheIndexIsActiveAtOnceAndAddedOnlyOnce() throws Exception {
        try (DynamoDbEmulator emulator = DynamoDbEmulator.builder().port(0).build()) {
            emulator.start();
            DynamoDbClient client = TestSupport.client(emulator.endpoint());
            for (int round = 0; round < 5; round++) {
                String table = "race" + round;
                client.createTable(TestSupport.table(table, null).build());
                List<Object> outcomes = createConcurrently(client, table, 8);
                assertThat(outcomes.stream().filter(UpdateTableResponse.class::isInstance)).hasSize(1);
                assertThat(outcomes.stream().filter(DynamoDbException.class::isInstance)
                        .map(e -> ((DynamoDbException) e).awsErrorDetails().errorMessage()))
                        .hasSize(7).containsOnly("Attempting to create an index which already exists");
                UpdateTableResponse won = (UpdateTableResponse) outcomes.stream()
                        .filter(UpdateTableResponse.class::isInstance).findFirst().orElseThrow();
                // UpdateTable answers UPDATING / CREATING whatever the delay, as CreateTable answers CREATING
                assertThat(won.tableDescription().tableStatusAsString()).isEqualTo("UPDATING");
                assertThat(index(won.tableDescription()).indexStatusAsString()).isEqualTo("CREATING");
                TableDescription now = client.describeTable(r -> r.tableName(table)).table();
                assertThat(now.tableStatusAsString()).isEqualTo("ACTIVE");
                assertThat(now.globalSecondaryIndexes()).hasSize(1);
                assertThat(index(now).indexStatusAsString()).isEqualTo("ACTIVE");
            }
            client.close();
        }
    }

    @Test
    void updatesOfATableThatIsStillCreatingOrIsGoneAreRefused() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2024-01-01T00:00:00Z"));
        try (DynamoDbEmulator emulator = DynamoDbEmulator.builder().port(0).clock(clock)
                .tableStatusDelay(Duration.ofSeconds(5)).build()) {
            emulator.start();
            DynamoDbClient client = TestSupport.client(emulator.endpoint());
            client.createTable(TestSupport.table("young", null).build());
            // [dynalite] test/updateTable.js "should reject updates while table is in CREATING state" (recorded)
            assertThatThrownBy(() -> client.updateTable(r -> r.tableName("young").deletionProtectionEnabled(true)))
                    .isInstanceOf(ResourceInUseException.class)
                    .hasMessageStartingWith("Attempt to change a resource which is still in use: Table is being "
                            + "created: young");
            // [dynalite] test/updateTable.js "should return ResourceNotFoundException if table does not exist"
            assertThatThrownBy(() -> client.updateTable(r -> r.tableName("nothere").deletionProtectionEnabled(true)))
                    .isInstanceOf(software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException.class)
                    .hasMessageStartingWith("Requested resource not found: Table: nothere not found");
            clock.advance(Duration.ofSeconds(5));
            assertThat(client.updateTable(r -> r.tableName("young").deletionProtectionEnabled(true)).tableDescription()
                    .tableStatusAsString()).isEqualTo("UPDATING");
            client.close();
        }
    }

    /** Starts {@code racers} UpdateTable calls creating the same index together; their answers or errors. */
    private static List<Object> createConcurrently(DynamoDbClient client, String table, int racers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Object>> futures = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                Callable<Object> call = () -> {
                    start.await();
                    try {
                        return createIndex(client, table);
                    } catch (DynamoDbException e) {
                        return e;
                    }
                };
                futures.add(pool.submit(call));
            }
            start.countDown();
            List<Object> outcomes = new ArrayList<>();
            for (Future<Object> f : futures) {
                outcomes.add(f.get());
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The request KCL 3.5.1's DynamoDBLeaseRefresher.createLeaseOwnerToLeaseKeyIndexIfNotExists sends. */
    private static UpdateTableResponse createIndex(DynamoDbClient client, String table) {
        return client.updateTable(r -> r.tableName(table)
                .attributeDefinitions(a -> a.attributeName("owner").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName(INDEX)
                        .keySchema(k -> k.attributeName("owner").keyType(KeyType.HASH),
                                k -> k.attributeName("pk").keyType(KeyType.RANGE))
                        .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY)))));
    }

    private static GlobalSecondaryIndexDescription index(TableDescription table) {
        return table.globalSecondaryIndexes().stream().filter(i -> i.indexName().equals(INDEX)).findFirst()
                .orElseThrow();
    }
}
