package io.cqrsworkers.localaws.dynamodb;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeAction;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.AttributeValueUpdate;
import software.amazon.awssdk.services.dynamodb.model.ComparisonOperator;
import software.amazon.awssdk.services.dynamodb.model.Condition;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ExpectedAttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.cqrsworkers.localaws.dynamodb.TestSupport.item;
import static io.cqrsworkers.localaws.dynamodb.TestSupport.n;
import static io.cqrsworkers.localaws.dynamodb.TestSupport.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryScanTest {

    static DynamoDbEmulator emulator;
    static DynamoDbClient ddb;

    @BeforeAll
    static void start() throws Exception {
        emulator = DynamoDbEmulator.builder().port(0).build();
        emulator.start();
        ddb = TestSupport.client(emulator.endpoint());
        var req = TestSupport.table("qtab", ScalarAttributeType.N).build().toBuilder();
        List<AttributeDefinition> defs = new ArrayList<>(TestSupport.table("qtab", ScalarAttributeType.N).build().attributeDefinitions());
        defs.add(AttributeDefinition.builder().attributeName("lsk").attributeType(ScalarAttributeType.S).build());
        defs.add(AttributeDefinition.builder().attributeName("gpk").attributeType(ScalarAttributeType.S).build());
        ddb.createTable(req.attributeDefinitions(defs)
                .localSecondaryIndexes(LocalSecondaryIndex.builder().indexName("byLsk")
                        .keySchema(key("pk", KeyType.HASH), key("lsk", KeyType.RANGE))
                        .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build()).build())
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("byGpk")
                        .keySchema(key("gpk", KeyType.HASH))
                        .projection(Projection.builder().projectionType(ProjectionType.INCLUDE)
                                .nonKeyAttributes("payload").build()).build())
                .build());
        for (int p = 0; p < 3; p++) {
            for (int i = 0; i < 20; i++) {
                Map<String, AttributeValue> it = item("pk", s("p" + p), "sk", n(String.valueOf(i)),
                        "lsk", s(String.format("l%02d", 19 - i)), "payload", s("x" + i), "other", n("1"));
                if (i % 2 == 0) {
                    it.put("gpk", s("even"));
                }
                ddb.putItem(r -> r.tableName("qtab").item(it));
            }
        }
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    @AfterAll
    static void stop() {
        ddb.close();
        emulator.close();
    }

    private static List<String> sks(QueryResponse r) {
        return r.items().stream().map(i -> i.get("sk").n()).toList();
    }

    @Test
    void keyConditions() {
        assertThat(ddb.query(r -> r.tableName("qtab").keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", s("p1")))).count()).isEqualTo(20);
        assertThat(sks(ddb.query(r -> r.tableName("qtab").keyConditionExpression("pk = :p AND sk < :v")
                .expressionAttributeValues(Map.of(":p", s("p1"), ":v", n("3")))))).containsExactly("0", "1", "2");
        assertThat(sks(ddb.query(r -> r.tableName("qtab").keyConditionExpression("pk = :p AND sk BETWEEN :a AND :b")
                .expressionAttributeValues(Map.of(":p", s("p1"), ":a", n("5"), ":b", n("7"))).scanIndexForward(false))))
                .containsExactly("7", "6", "5");
        assertThat(sks(ddb.query(r -> r.tableName("qtab").keyConditionExpression("pk = :p AND sk >= :v")
                .expressionAttributeValues(Map.of(":p", s("p2"), ":v", n("18")))))).containsExactly("18", "19");
        assertThat(ddb.query(r -> r.tableName("qtab").keyConditionExpression("pk = :p")
                .filterExpression("payload IN (:a, :b)").select(Select.COUNT)
                .expressionAttributeValues(Map.of(":p", s("p0"), ":a", s("x1"), ":b", s("x2"))))).satisfies(resp -> {
                    assertThat(resp.count()).isEqualTo(2);
                    assertThat(resp.scannedCount()).isEqualTo(20);
                    assertThat(resp.hasItems()).isFalse();
                });
        assertThatThrownBy(() -> ddb.query(r -> r.tableName("qtab").keyConditionExpression("sk = :v")
                .expressionAttributeValues(Map.of(":v", n("1")))))
                .hasMessageContaining("Query condition missed key schema element: pk");
    }

    @Test
    void stringSortKeysAreInUtf8ByteOrder() {
        ddb.createTable(TestSupport.table("utf8", ScalarAttributeType.S).build());
        // UTF-16 order would put the emoji (a surrogate pair, U+1F600) before U+E000 and U+FFFF
        List<String> keys = List.of("b", "a", "\uFFFF", "\uD83D\uDE00", "\uE000", "ab", "\u00E9", "\uD83D\uDE01");
        for (String k : keys) {
            ddb.putItem(r -> r.tableName("utf8").item(item("pk", s("p"), "sk", s(k))));
        }
        assertThat(ddb.query(r -> r.tableName("utf8").keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", s("p")))).items().stream().map(i -> i.get("sk").s()).toList())
                .containsExactly("a", "ab", "b", "\u00E9", "\uE000", "\uFFFF", "\uD83D\uDE00", "\uD83D\uDE01");
        assertThat(ddb.query(r -> r.tableName("utf8").keyConditionExpression("pk = :p AND sk > :k")
                .expressionAttributeValues(Map.of(":p", s("p"), ":k", s("\uFFFF")))).count()).isEqualTo(2);
    }

    @Test
    void legacyParametersStillWork() {
        QueryResponse legacy = ddb.query(r -> r.tableName("qtab").keyConditions(Map.of(
                "pk", Condition.builder().comparisonOperator(ComparisonOperator.EQ).attributeValueList(s("p1")).build(),
                "sk", Condition.builder().comparisonOperator(ComparisonOperator.BETWEEN)
                        .attributeValueList(n("2"), n("4")).build()))
                .queryFilter(Map.of("payload", Condition.builder().comparisonOperator(ComparisonOperator.NE)
                        .attributeValueList(s("x3")).build()))
                .attributesToGet("sk"));
        assertThat(sks(legacy)).containsExactly("2", "4");
        ddb.updateItem(r -> r.tableName("qtab").key(item("pk", s("p1"), "sk", n("2")))
                .attributeUpdates(Map.of("counter", AttributeValueUpdate.builder().action(AttributeAction.ADD)
                        .value(n("5")).build()))
                .expected(Map.of("payload", ExpectedAttributeValue.builder().value(s("x2")).build())));
        assertThat(ddb.getItem(r -> r.tableName("qtab").key(item("pk", s("p1"), "sk", n("2")))).item()
                .get("counter").n()).isEqualTo("5");
        assertThatThrownBy(() -> ddb.putItem(r -> r.tableName("qtab").item(item("pk", s("p1"), "sk", n("2")))
                .expected(Map.of("pk", ExpectedAttributeValue.builder().exists(false).build()))))
                .isInstanceOf(ConditionalCheckFailedException.class);
        assertThat(ddb.scan(r -> r.tableName("qtab").scanFilter(Map.of("sk", Condition.builder()
                .comparisonOperator(ComparisonOperator.GE).attributeValueList(n("19")).build()))).count())
                .isEqualTo(3);
    }

    @Test
    void pagination() {
        List<String> all = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        int pages = 0;
        do {
            Map<String, AttributeValue> esk = start;
            QueryResponse r = ddb.query(q -> q.tableName("qtab").keyConditionExpression("pk = :p").limit(7)
                    .expressionAttributeValues(Map.of(":p", s("p0"))).exclusiveStartKey(esk));
            all.addAll(sks(r));
            start = r.hasLastEvaluatedKey() ? r.lastEvaluatedKey() : null;
            pages++;
        } while (start != null);
        assertThat(pages).isEqualTo(3);
        assertThat(all).hasSize(20).doesNotHaveDuplicates();
        // the SDK paginator walks the same pages
        assertThat(ddb.queryPaginator(q -> q.tableName("qtab").keyConditionExpression("pk = :p").limit(6)
                .expressionAttributeValues(Map.of(":p", s("p2")))).items().stream().count()).isEqualTo(20);
    }

    @Test
    void indexes() {
        QueryResponse lsi = ddb.query(r -> r.tableName("qtab").indexName("byLsk")
                .keyConditionExpression("pk = :p AND begins_with(lsk, :l)")
                .expressionAttributeValues(Map.of(":p", s("p1"), ":l", s("l0"))));
        assertThat(lsi.items()).hasSize(10);
        assertThat(lsi.items().get(0)).containsOnlyKeys("pk", "sk", "lsk");
        assertThat(lsi.items().get(0).get("lsk").s()).isEqualTo("l00");

        QueryResponse gsi = ddb.query(r -> r.tableName("qtab").indexName("byGpk").keyConditionExpression("gpk = :g")
                .expressionAttributeValues(Map.of(":g", s("even"))));
        assertThat(gsi.count()).isEqualTo(30);
        assertThat(gsi.items().get(0)).containsOnlyKeys("pk", "sk", "gpk", "payload");

        List<Map<String, AttributeValue>> paged = new ArrayList<>();
        ddb.queryPaginator(r -> r.tableName("qtab").indexName("byGpk").keyConditionExpression("gpk = :g").limit(4)
                .expressionAttributeValues(Map.of(":g", s("even")))).items().forEach(paged::add);
        assertThat(paged).hasSize(30).doesNotHaveDuplicates();

        ddb.updateItem(r -> r.tableName("qtab").key(item("pk", s("p0"), "sk", n("0"))).updateExpression("REMOVE gpk"));
        assertThat(ddb.query(r -> r.tableName("qtab").indexName("byGpk").keyConditionExpression("gpk = :g")
                .expressionAttributeValues(Map.of(":g", s("even")))).count()).isEqualTo(29);
        ddb.updateItem(r -> r.tableName("qtab").key(item("pk", s("p0"), "sk", n("0"))).updateExpression("SET gpk = :g")
                .expressionAttributeValues(Map.of(":g", s("even"))));
    }

    @Test
    void scanSegmentsCoverTheTable() {
        Set<String> seen = new HashSet<>();
        int total = 0;
        for (int seg = 0; seg < 4; seg++) {
            int segment = seg;
            for (var page : ddb.scanPaginator(r -> r.tableName("qtab").segment(segment).totalSegments(4).limit(5))) {
                page.items().forEach(i -> seen.add(i.get("pk").s() + "/" + i.get("sk").n()));
                total += page.count();
            }
        }
        assertThat(total).isEqualTo(60);
        assertThat(seen).hasSize(60);
        ScanResponse filtered = ddb.scan(r -> r.tableName("qtab").filterExpression("sk > :v AND attribute_exists(gpk)")
                .expressionAttributeValues(Map.of(":v", n("15"))).projectionExpression("pk, sk"));
        assertThat(filtered.count()).isEqualTo(6);
        assertThat(filtered.items().get(0)).containsOnlyKeys("pk", "sk");
    }

    @Test
    void pagesStopAtOneMegabyte() {
        ddb.createTable(TestSupport.table("big", ScalarAttributeType.N).build());
        String blob = "y".repeat(100_000);
        for (int i = 0; i < 25; i++) {
            int k = i;
            ddb.putItem(r -> r.tableName("big").item(item("pk", s("a"), "sk", n(String.valueOf(k)), "b", s(blob))));
        }
        QueryResponse first = ddb.query(r -> r.tableName("big").keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", s("a"))));
        assertThat(first.count()).isBetween(10, 11);
        assertThat(first.hasLastEvaluatedKey()).isTrue();
        assertThat(ddb.scan(r -> r.tableName("big")).count()).isBetween(10, 11);
    }
}
