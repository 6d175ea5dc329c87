package io.cqrsworkers.localaws.dynamodb;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

import java.util.List;
import java.util.Map;

import static io.cqrsworkers.localaws.dynamodb.TestSupport.item;
import static io.cqrsworkers.localaws.dynamodb.TestSupport.n;
import static io.cqrsworkers.localaws.dynamodb.TestSupport.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ItemOperationsTest {

    static DynamoDbEmulator emulator;
    static DynamoDbClient ddb;

    @BeforeAll
    static void start() throws Exception {
        emulator = DynamoDbEmulator.builder().port(0).build();
        emulator.start();
        ddb = TestSupport.client(emulator.endpoint());
        ddb.createTable(TestSupport.table("items", ScalarAttributeType.N).build());
        ddb.createTable(TestSupport.table("simple", null).build());
    }

    @AfterAll
    static void stop() {
        ddb.close();
        emulator.close();
    }

    @Test
    void tableLifecycle() {
        assertThat(ddb.describeTable(r -> r.tableName("items")).table().tableStatus()).isEqualTo(TableStatus.ACTIVE);
        assertThat(ddb.listTables().tableNames()).contains("items", "simple");
        assertThatThrownBy(() -> ddb.createTable(TestSupport.table("items", ScalarAttributeType.N).build()))
                .isInstanceOf(ResourceInUseException.class).hasMessageContaining("Table already exists: items");
        assertThatThrownBy(() -> ddb.describeTable(r -> r.tableName("nope")))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("Requested resource not found: Table: nope not found");
        ddb.createTable(TestSupport.table("doomed", null).build());
        ddb.deleteTable(r -> r.tableName("doomed"));
        assertThat(ddb.listTables().tableNames()).doesNotContain("doomed");
        ddb.waiter().waitUntilTableExists(r -> r.tableName("items"));
    }

    @Test
    void putGetDeleteWithAllTypes() {
        Map<String, AttributeValue> it = item("pk", s("a"), "sk", n("1"), "str", s("x"), "num", n("1.500"),
                "bin", AttributeValue.fromB(SdkBytes.fromUtf8String("hi")), "bool", AttributeValue.fromBool(true),
                "nul", AttributeValue.fromNul(true), "ss", AttributeValue.fromSs(List.of("b", "a")),
                "ns", AttributeValue.fromNs(List.of("1", "2.0")), "l", AttributeValue.fromL(List.of(s("e"), n("3"))),
                "m", AttributeValue.fromM(Map.of("deep", s("v"))));
        ddb.putItem(r -> r.tableName("items").item(it));
        GetItemResponse got = ddb.getItem(r -> r.tableName("items").key(item("pk", s("a"), "sk", n("1"))));
        assertThat(got.item().get("num").n()).isEqualTo("1.5");
        assertThat(got.item().get("bin").b().asUtf8String()).isEqualTo("hi");
        assertThat(got.item().get("m").m().get("deep").s()).isEqualTo("v");
        assertThat(got.item().get("ns").ns()).containsExactlyInAnyOrder("1", "2");
        assertThat(got.item()).hasSize(it.size());

        GetItemResponse projected = ddb.getItem(r -> r.tableName("items").key(item("pk", s("a"), "sk", n("1")))
                .projectionExpression("#l[1], m.deep, str").expressionAttributeNames(Map.of("#l", "l")));
        assertThat(projected.item()).containsOnlyKeys("l", "m", "str");
        assertThat(projected.item().get("l").l()).containsExactly(n("3"));

        var deleted = ddb.deleteItem(r -> r.tableName("items").key(item("pk", s("a"), "sk", n("1")))
                .returnValues(ReturnValue.ALL_OLD));
        assertThat(deleted.attributes().get("str").s()).isEqualTo("x");
        assertThat(ddb.getItem(r -> r.tableName("items").key(item("pk", s("a"), "sk", n("1")))).hasItem()).isFalse();
    }

    @Test
    void conditionalWrites() {
        ddb.putItem(r -> r.tableName("simple").item(item("pk", s("c1"), "v", n("1"))));
        assertThatThrownBy(() -> ddb.putItem(r -> r.tableName("simple").item(item("pk", s("c1"), "v", n("2")))
                .conditionExpression("attribute_not_exists(pk)")))
                .isInstanceOf(ConditionalCheckFailedException.class)
                .hasMessageContaining("The conditional request failed");
        try {
            ddb.updateItem(r -> r.tableName("simple").key(item("pk", s("c1"))).updateExpression("SET v = :n")
                    .conditionExpression("v = :old").expressionAttributeValues(Map.of(":n", n("3"), ":old", n("7")))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
        } catch (ConditionalCheckFailedException e) {
            assertThat(e.item().get("v").n()).isEqualTo("1");
        }
        UpdateItemResponse up = ddb.updateItem(r -> r.tableName("simple").key(item("pk", s("c1")))
                .updateExpression("SET v = v + :one, tags = list_append(if_not_exists(tags, :empty), :t) ADD cnt :one")
                .conditionExpression("v = :old AND attribute_exists(pk)")
                .expressionAttributeValues(Map.of(":one", n("1"), ":old", n("1"),
                        ":empty", AttributeValue.fromL(List.of()), ":t", AttributeValue.fromL(List.of(s("x")))))
                .returnValues(ReturnValue.ALL_NEW));
        assertThat(up.attributes().get("v").n()).isEqualTo("2");
        assertThat(up.attributes().get("cnt").n()).isEqualTo("1");
        assertThat(up.attributes().get("tags").l()).containsExactly(s("x"));
    }

    @Test
    void plainGetAnswersLikeAwsHealthCheck() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var resp = http.send(java.net.http.HttpRequest.newBuilder(emulator.endpoint()).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(resp.statusCode()).isEqualTo(200);
        assertThat(resp.body()).startsWith("healthy: dynamodb.us-east-1.amazonaws.com");
    }

    @Test
    void nestedDocumentUpdates() {
        ddb.putItem(r -> r.tableName("simple").item(item("pk", s("doc"), "m", AttributeValue.fromM(Map.of(
                "lst", AttributeValue.fromL(List.of(n("1"), n("2"), n("3"))))), "set", AttributeValue.fromSs(
                List.of("a", "b")), "more", AttributeValue.fromSs(List.of("a")))));
        var out = ddb.updateItem(r -> r.tableName("simple").key(item("pk", s("doc")))
                .updateExpression("SET m.lst[1] = :x, m.added = :x REMOVE m.lst[0] ADD #set :c DELETE more :a")
                .expressionAttributeNames(Map.of("#set", "set"))
                .expressionAttributeValues(Map.of(":x", n("9"), ":c", AttributeValue.fromSs(List.of("c")),
                        ":a", AttributeValue.fromSs(List.of("a"))))
                .returnValues(ReturnValue.ALL_NEW)).attributes();
        assertThat(out.get("m").m().get("lst").l()).containsExactly(n("9"), n("3"));
        assertThat(out.get("m").m().get("added").n()).isEqualTo("9");
        assertThat(out.get("set").ss()).containsExactlyInAnyOrder("a", "b", "c");
        var updatedNew = ddb.updateItem(r -> r.tableName("simple").key(item("pk", s("doc")))
                .updateExpression("SET m.added = :y").expressionAttributeValues(Map.of(":y", n("10")))
                .returnValues(ReturnValue.UPDATED_NEW)).attributes();
        assertThat(updatedNew).containsOnlyKeys("m");
        assertThat(updatedNew.get("m").m()).containsOnlyKeys("added");
        assertThat(out).doesNotContainKey("more");
        assertThat(ddb.getItem(r -> r.tableName("simple").key(item("pk", s("doc")))
                .projectionExpression("pk").expressionAttributeNames(null)).item()).containsOnlyKeys("pk");
        var cond = ddb.scan(r -> r.tableName("simple").filterExpression(
                "size(m.lst) = :two AND contains(#set, :b) AND attribute_type(m, :M) AND NOT begins_with(pk, :z) "
                        + "AND (m.added BETWEEN :lo AND :hi OR pk IN (:z))")
                .expressionAttributeNames(Map.of("#set", "set"))
                .expressionAttributeValues(Map.of(":two", n("2"), ":b", s("b"), ":M", s("M"), ":z", s("z"),
                        ":lo", n("1"), ":hi", n("10"))));
        assertThat(cond.items()).extracting(i -> i.get("pk").s()).containsExactly("doc");
    }

    @Test
    void validationErrorsUseAwsMessages() {
        assertThatThrownBy(() -> ddb.putItem(r -> r.tableName("simple").item(item("v", s("x")))))
                .isInstanceOf(DynamoDbException.class)
                .hasMessageContaining("One or more parameter values were invalid: Missing the key pk in the item");
        assertThatThrownBy(() -> ddb.getItem(r -> r.tableName("simple").key(item("pk", n("1")))))
                .hasMessageContaining("The provided key element does not match the schema");
        assertThatThrownBy(() -> ddb.updateItem(r -> r.tableName("simple").key(item("pk", s("k")))
                .updateExpression("SET a = :a").expressionAttributeValues(Map.of(":a", n("1"), ":b", n("2")))))
                .hasMessageContaining("Value provided in ExpressionAttributeValues unused in expressions: keys: {:b}");
        assertThatThrownBy(() -> ddb.updateItem(r -> r.tableName("simple").key(item("pk", s("k")))
                .updateExpression("SET a = :a")))
                .hasMessageContaining("Invalid UpdateExpression: An expression attribute value used in expression "
                        + "is not defined; attribute value: :a");
        assertThatThrownBy(() -> ddb.updateItem(r -> r.tableName("simple").key(item("pk", s("k")))
                .updateExpression("SET #a = :a").expressionAttributeValues(Map.of(":a", n("1")))))
                .hasMessageContaining("An expression attribute name used in the document path is not defined; "
                        + "attribute name: #a");
        assertThatThrownBy(() -> ddb.updateItem(r -> r.tableName("simple").key(item("pk", s("k")))
                .updateExpression("SET status = :a").expressionAttributeValues(Map.of(":a", n("1")))))
                .hasMessageContaining("Attribute name is a reserved keyword; reserved keyword: status");
        assertThatThrownBy(() -> ddb.putItem(r -> r.tableName("simple").item(item("pk", s("k"), "n",
                n("123456789012345678901234567890123456789")))))
                .hasMessageContaining("Attempting to store more than 38 significant digits in a Number");
        assertThatThrownBy(() -> ddb.putItem(r -> r.tableName("simple").item(item("pk", s("k"),
                "big", s("x".repeat(410_000))))))
                .hasMessageContaining("Item size has exceeded the maximum allowed size");
        assertThatThrownBy(() -> ddb.putItem(r -> r.tableName("missing").item(item("pk", s("k")))))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> ddb.updateItem(r -> r.tableName("simple").key(item("pk", s("k")))
                .updateExpression("SET pk = :a").expressionAttributeValues(Map.of(":a", s("z")))))
                .hasMessageContaining("Cannot update attribute pk. This attribute is part of the key");
        assertThatThrownBy(() -> ddb.putItem(r -> r.tableName("simple").item(item("pk", s("k".repeat(2049))))))
                .hasMessageContaining("Size of hashkey has exceeded the maximum size limit of2048 bytes");
        assertThatThrownBy(() -> ddb.createTable(TestSupport.table("a!", null).build()))
                .hasMessageContaining("Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
        assertThatThrownBy(() -> ddb.putItem(r -> r.tableName("simple").item(item("pk", s("")))))
                .hasMessageContaining("The AttributeValue for a key attribute cannot contain an empty string value. "
                        + "Key: pk");
        assertThatThrownBy(() -> ddb.updateItem(r -> r.tableName("simple").key(item("pk", s("k")))
                .updateExpression("SET a = :a").conditionExpression("a = = :a")
                .expressionAttributeValues(Map.of(":a", s("z")))))
                .hasMessageContaining("Invalid ConditionExpression: Syntax error; token: \"=\"");
        assertThatThrownBy(() -> ddb.updateItem(r -> r.tableName("simple").key(item("pk", s("k")))
                .updateExpression("SET a = :a, a.b = :a").expressionAttributeValues(Map.of(":a", s("z")))))
                .hasMessageContaining("Two document paths overlap with each other");
    }
}
