package io.cqrsworkers.command;

import io.cqrsworkers.localaws.dynamodb.DynamoDbEmulator;
import io.cqrsworkers.localaws.emulator.ManualClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** TTL settings from master-data, on the embedded DynamoDB: how long a read setting is kept. */
class TtlServiceTest {

    static DynamoDbEmulator emulator;
    static DynamoDbClient ddb;
    static CommandStore store;

    @BeforeAll
    static void start() throws Exception {
        emulator = DynamoDbEmulator.builder().port(0).build();
        emulator.start();
        ddb = DynamoDbClient.builder().endpointOverride(emulator.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create()).build();
        CommandTables tables = new CommandTables("t-", List.of("sample"));
        ddb.createTable(b -> b.tableName(tables.masterData()).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build()));
        store = new CommandStore(ddb, tables);
    }

    @AfterAll
    static void stop() {
        ddb.close();
        emulator.close();
    }

    private static void setting(String tenant, String type, int days) {
        ddb.putItem(b -> b.tableName(store.tables().masterData()).item(Map.of(
                "pk", AttributeValue.fromS(CommandKeys.masterPk(tenant)),
                "sk", AttributeValue.fromS(CommandKeys.ttlSk(store.tables().table("sample", type))),
                "attributes", AttributeValue.fromM(Map.of("days", AttributeValue.fromN(String.valueOf(days)))))));
    }

    @Test
    void aSettingReadIsKeptForTheCachePeriodThenReadAgain() {
        ManualClock clock = new ManualClock(Instant.now());
        long start = clock.millis() / 1000;
        TtlService ttl = new TtlService(store, clock, Duration.ofSeconds(10));
        assertThat(ttl.calculate("sample", CommandTables.DATA, "cached")).as("no setting yet").isNull();

        setting("cached", CommandTables.DATA, 2);
        clock.advance(Duration.ofSeconds(9));
        assertThat(ttl.calculate("sample", CommandTables.DATA, "cached")).as("within 10 s: the read is kept").isNull();

        clock.advance(Duration.ofSeconds(1));
        assertThat(ttl.calculate("sample", CommandTables.DATA, "cached")).isEqualTo(start + 10 + 2 * 86_400L);

        setting("cached", CommandTables.DATA, 5);
        assertThat(ttl.calculate("sample", CommandTables.DATA, "cached")).as("kept, computed from the current time")
                .isEqualTo(start + 10 + 2 * 86_400L);
        assertThat(ttl.calculate("sample", CommandTables.HISTORY, "cached")).as("each table has its own setting")
                .isNull();
    }

    @Test
    void withoutACachePeriodEveryCallReadsTheSetting() {
        ManualClock clock = new ManualClock(Instant.now());
        TtlService ttl = new TtlService(store, clock, Duration.ZERO);
        assertThat(ttl.calculate("sample", CommandTables.COMMAND, "uncached")).isNull();
        setting("uncached", CommandTables.COMMAND, 3);
        assertThat(ttl.calculate("sample", CommandTables.COMMAND, "uncached")).isEqualTo(clock.millis() / 1000 + 3 * 86_400L);
    }

    @Test
    void aSettingThatIsNotPositiveFailsTheCommand() {
        setting("broken", CommandTables.HISTORY, 0);
        TtlService ttl = new TtlService(store, new ManualClock(Instant.now()), Duration.ofSeconds(10));
        assertThatThrownBy(() -> ttl.calculate("sample", CommandTables.HISTORY, "broken"))
                .hasMessageContaining("must be positive, got 0");
    }
}
