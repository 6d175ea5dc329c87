package io.cqrsworkers.localaws.dynamodb;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.cqrsworkers.localaws.dynamodb.TestSupport.item;
import static io.cqrsworkers.localaws.dynamodb.TestSupport.n;
import static io.cqrsworkers.localaws.dynamodb.TestSupport.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchAndTransactionTest {

    static DynamoDbEmulator emulator;
    static DynamoDbClient ddb;

    @BeforeAll
    static void start() throws Exception {
        emulator = DynamoDbEmulator.builder().port(0).build();
        emulator.start();
        ddb = TestSupport.client(emulator.endpoint());
        ddb.createTable(TestSupport.table("tbl_a", null).build());
        ddb.createTable(TestSupport.table("tbl_b", ScalarAttributeType.S).build());
    }

    @AfterAll
    static void stop() {
        ddb.close();
        emulator.close();
    }

    @Test
    void batchWriteThenGet() {
        List<WriteRequest> writes = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            writes.add(WriteRequest.builder().putRequest(PutRequest.builder()
                    .item(item("pk", s("k" + i), "v", n(String.valueOf(i)))).build()).build());
        }
        assertThat(ddb.batchWriteItem(r -> r.requestItems(Map.of("tbl_a", writes))).unprocessedItems()).isEmpty();
        BatchGetItemResponse got = ddb.batchGetItem(r -> r.requestItems(Map.of("tbl_a", KeysAndAttributes.builder()
                .keys(item("pk", s("k1")), item("pk", s("k2")), item("pk", s("missing")))
                .projectionExpression("v").build())));
        assertThat(got.responses().get("tbl_a")).hasSize(2).allSatisfy(i -> assertThat(i).containsOnlyKeys("v"));
        assertThat(got.unprocessedKeys()).isEmpty();
        List<WriteRequest> dup = List.of(writes.get(0), writes.get(0));
        assertThatThrownBy(() -> ddb.batchWriteItem(r -> r.requestItems(Map.of("tbl_a", dup))))
                .hasMessageContaining("Provided list of item keys contains duplicates");
    }

    @Test
    void transactionIsAllOrNothing() {
        ddb.putItem(r -> r.tableName("tbl_a").item(item("pk", s("acct1"), "bal", n("100"))));
        ddb.putItem(r -> r.tableName("tbl_a").item(item("pk", s("acct2"), "bal", n("0"))));
        TransactWriteItem debit = TransactWriteItem.builder().update(u -> u.tableName("tbl_a")
                .key(item("pk", s("acct1"))).updateExpression("SET bal = bal - :x").conditionExpression("bal >= :x")
                .expressionAttributeValues(Map.of(":x", n("150")))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build();
        TransactWriteItem credit = TransactWriteItem.builder().update(u -> u.tableName("tbl_a")
                .key(item("pk", s("acct2"))).updateExpression("SET bal = bal + :x")
                .expressionAttributeValues(Map.of(":x", n("150")))).build();
        TransactionCanceledException e = (TransactionCanceledException) org.assertj.core.api.Assertions
                .catchThrowable(() -> ddb.transactWriteItems(r -> r.transactItems(debit, credit)));
        assertThat(e).hasMessageContaining("Transaction cancelled, please refer cancellation reasons for specific "
                + "reasons [ConditionalCheckFailed, None]");
        assertThat(e.cancellationReasons()).hasSize(2);
        assertThat(e.cancellationReasons().get(0).code()).isEqualTo("ConditionalCheckFailed");
        assertThat(e.cancellationReasons().get(0).item().get("bal").n()).isEqualTo("100");
        assertThat(e.cancellationReasons().get(1).code()).isEqualTo("None");
        assertThat(ddb.getItem(r -> r.tableName("tbl_a").key(item("pk", s("acct2")))).item().get("bal").n()).isEqualTo("0");

        TransactWriteItem put = TransactWriteItem.builder().put(p -> p.tableName("tbl_b")
                .item(item("pk", s("t"), "sk", s("1"), "x", s("y")))).build();
        TransactWriteItem check = TransactWriteItem.builder().conditionCheck(c -> c.tableName("tbl_a")
                .key(item("pk", s("acct1"))).conditionExpression("bal = :b")
                .expressionAttributeValues(Map.of(":b", n("100")))).build();
        ddb.transactWriteItems(r -> r.transactItems(put, check).clientRequestToken("tok-1"));
        ddb.deleteItem(r -> r.tableName("tbl_b").key(item("pk", s("t"), "sk", s("1"))));
        // same token again: idempotent, not re-applied
        ddb.transactWriteItems(r -> r.transactItems(put, check).clientRequestToken("tok-1"));
        assertThat(ddb.getItem(r -> r.tableName("tbl_b").key(item("pk", s("t"), "sk", s("1")))).hasItem()).isFalse();
        // the same token with another request
        assertThatThrownBy(() -> ddb.transactWriteItems(r -> r.transactItems(put).clientRequestToken("tok-1")))
                .isInstanceOf(software.amazon.awssdk.services.dynamodb.model.IdempotentParameterMismatchException.class);

        var got = ddb.transactGetItems(r -> r.transactItems(
                TransactGetItem.builder().get(g -> g.tableName("tbl_a").key(item("pk", s("acct1")))).build(),
                TransactGetItem.builder().get(g -> g.tableName("tbl_b").key(item("pk", s("t"), "sk", s("1")))).build()));
        assertThat(got.responses().get(0).item().get("bal").n()).isEqualTo("100");
        assertThat(got.responses().get(1).item()).isNullOrEmpty();

        assertThatThrownBy(() -> ddb.transactWriteItems(r -> r.transactItems(credit, credit)))
                .hasMessageContaining("Transaction request cannot include multiple operations on one item");
    }

    @Test
    void concurrentConditionalIncrementsAreLinearisable() throws Exception {
        ddb.putItem(r -> r.tableName("tbl_a").item(item("pk", s("counter"), "v", n("0"))));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            results.add(pool.submit(() -> {
                int wins = 0;
                for (int i = 0; i < 50; i++) {
                    String current = ddb.getItem(r -> r.tableName("tbl_a").key(item("pk", s("counter"))))
                            .item().get("v").n();
                    try {
                        ddb.updateItem(r -> r.tableName("tbl_a").key(item("pk", s("counter")))
                                .updateExpression("SET v = :next").conditionExpression("v = :cur")
                                .expressionAttributeValues(Map.of(":cur", n(current),
                                        ":next", n(String.valueOf(Long.parseLong(current) + 1)))));
                        wins++;
                    } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException lost) {
                        // another writer got there first
                    }
                }
                return wins;
            }));
        }
        int wins = 0;
        for (Future<Integer> f : results) {
            wins += f.get();
        }
        pool.shutdown();
        AttributeValue v = ddb.getItem(r -> r.tableName("tbl_a").key(item("pk", s("counter")))).item().get("v");
        assertThat(v.n()).isEqualTo(String.valueOf(wins));
    }
}
