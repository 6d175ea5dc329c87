package io.cqrsworkers.localaws.dynamodb;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.cqrsworkers.localaws.dynamodb.TestSupport.item;
import static io.cqrsworkers.localaws.dynamodb.TestSupport.n;
import static io.cqrsworkers.localaws.dynamodb.TestSupport.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DurabilityTest {

    @TempDir
    Path dir;

    private static void createTable(DynamoDbClient ddb) {
        ddb.createTable(TestSupport.table("tbl", null)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("g").attributeType(ScalarAttributeType.S).build())
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("byG")
                        .keySchema(KeySchemaElement.builder().attributeName("g").keyType(KeyType.HASH).build())
                        .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build())
                .streamSpecification(StreamSpecification.builder().streamEnabled(true)
                        .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES).build()).build());
        ddb.updateTimeToLive(r -> r.tableName("tbl").timeToLiveSpecification(t -> t.enabled(true).attributeName("exp")));
    }

    private static List<Record> records(URI endpoint) {
        try (DynamoDbStreamsClient streams = TestSupport.streams(endpoint)) {
            String arn = streams.listStreams(r -> r.tableName("tbl")).streams().get(0).streamArn();
            List<Record> out = new ArrayList<>();
            for (var shard : streams.describeStream(r -> r.streamArn(arn)).streamDescription().shards()) {
                String it = streams.getShardIterator(r -> r.streamArn(arn).shardId(shard.shardId())
                        .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
                String current = it;
                out.addAll(streams.getRecords(r -> r.shardIterator(current)).records());
            }
            return out;
        }
    }

    /** A kill -9 while a transaction is written keeps all of it or none: the journal cut inside its line drops it whole. */
    @Test
    void aTransactionIsKeptWholeOrNotAtAll() throws Exception {
        try (DynamoDbEmulator e = DynamoDbEmulator.builder().port(0).dataDir(dir).build()) {
            e.start();
            try (DynamoDbClient ddb = TestSupport.client(e.endpoint())) {
                createTable(ddb);
                ddb.transactWriteItems(r -> r.transactItems(
                        t -> t.put(p -> p.tableName("tbl").item(item("pk", s("t1"), "g", s("x")))),
                        t -> t.put(p -> p.tableName("tbl").item(item("pk", s("t2"), "g", s("x"))))));
            }
        }
        java.nio.file.Path journal;
        try (var files = java.nio.file.Files.list(dir)) {
            journal = files.filter(p -> p.getFileName().toString().startsWith("journal-"))
                    .filter(p -> p.toFile().length() > 0).findFirst().orElseThrow();
        }
        byte[] whole = java.nio.file.Files.readAllBytes(journal);
        String text = new String(whole, java.nio.charset.StandardCharsets.UTF_8);
        int txLine = text.lastIndexOf("\"op\":\"tx\"");
        assertThat(txLine).as("the transaction is one line").isPositive();
        assertThat(text.substring(txLine)).contains("t1").contains("t2");
        // killed in the middle of writing that line: after t1's part, before t2's
        int cut = text.indexOf("t2", txLine);
        java.nio.file.Files.write(journal, java.util.Arrays.copyOf(whole, cut));
        try (DynamoDbEmulator e = DynamoDbEmulator.builder().port(0).dataDir(dir).build()) {
            e.start();
            try (DynamoDbClient ddb = TestSupport.client(e.endpoint())) {
                assertThat(ddb.getItem(r -> r.tableName("tbl").key(item("pk", s("t1")))).hasItem()).isFalse();
                assertThat(ddb.getItem(r -> r.tableName("tbl").key(item("pk", s("t2")))).hasItem()).isFalse();
            }
        }
    }

    @Test
    void stateSurvivesRestartAndCompaction() throws Exception {
        try (DynamoDbEmulator e = DynamoDbEmulator.builder().port(0).dataDir(dir).build()) {
            e.start();
            try (DynamoDbClient ddb = TestSupport.client(e.endpoint())) {
                createTable(ddb);
                ddb.putItem(r -> r.tableName("tbl").item(item("pk", s("a"), "g", s("x"), "v", n("1"))));
                ddb.putItem(r -> r.tableName("tbl").item(item("pk", s("b"), "g", s("x"))));
                ddb.updateItem(r -> r.tableName("tbl").key(item("pk", s("a"))).updateExpression("SET v = v + :one")
                        .expressionAttributeValues(Map.of(":one", n("1"))));
                e.compact();
                ddb.deleteItem(r -> r.tableName("tbl").key(item("pk", s("b"))));
                ddb.putItem(r -> r.tableName("tbl").item(item("pk", s("c"), "g", s("y"))));
            }
        }
        try (DynamoDbEmulator e = DynamoDbEmulator.builder().port(0).dataDir(dir).build()) {
            e.start();
            try (DynamoDbClient ddb = TestSupport.client(e.endpoint())) {
                assertThat(ddb.getItem(r -> r.tableName("tbl").key(item("pk", s("a")))).item().get("v").n())
                        .isEqualTo("2");
                assertThat(ddb.getItem(r -> r.tableName("tbl").key(item("pk", s("b")))).hasItem()).isFalse();
                assertThat(ddb.query(r -> r.tableName("tbl").indexName("byG").keyConditionExpression("g = :g")
                        .expressionAttributeValues(Map.of(":g", s("x")))).count()).isEqualTo(1);
                assertThat(ddb.describeTimeToLive(r -> r.tableName("tbl")).timeToLiveDescription().attributeName())
                        .isEqualTo("exp");
                assertThat(records(e.endpoint())).extracting(r -> r.eventNameAsString() + " "
                        + r.dynamodb().keys().get("pk").s())
                        .containsExactly("INSERT a", "INSERT b", "MODIFY a", "REMOVE b", "INSERT c");
                ddb.putItem(r -> r.tableName("tbl").item(item("pk", s("d"))));
            }
        }
    }

    @Test
    void acknowledgedWritesSurviveKillMinus9() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DynamoDbEmulator.class.getName(),
                String.valueOf(port), dir.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolveSibling(dir.getFileName() + "-child.log").toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                new Socket("127.0.0.1", port).close();
                return true;
            });
            try (DynamoDbClient ddb = TestSupport.client(URI.create("http://127.0.0.1:" + port))) {
                createTable(ddb);
                for (int i = 0; i < 200; i++) {
                    int k = i;
                    ddb.putItem(r -> r.tableName("tbl").item(item("pk", s("k" + k), "v", n(String.valueOf(k)))));
                }
            }
        } finally {
            child.destroyForcibly().waitFor();
        }
        // a crash can tear the last line; what was acknowledged before it must still come back
        try (var journals = java.nio.file.Files.list(dir)) {
            Path last = journals.filter(p -> p.getFileName().toString().startsWith("journal-")).sorted().reduce((a, b) -> b)
                    .orElseThrow();
            java.nio.file.Files.writeString(last, "{\"op\":\"item\",\"t\":\"tb", java.nio.file.StandardOpenOption.APPEND);
        }
        for (int restart = 0; restart < 2; restart++) {
            try (DynamoDbEmulator e = DynamoDbEmulator.builder().port(0).dataDir(dir).build()) {
                e.start();
                try (DynamoDbClient ddb = TestSupport.client(e.endpoint())) {
                    assertThat(ddb.scan(r -> r.tableName("tbl")).count()).isEqualTo(200 + restart);
                    assertThat(records(e.endpoint())).hasSize(200 + restart);
                    ddb.putItem(r -> r.tableName("tbl").item(item("pk", s("after-restart"))));
                }
            }
        }
    }
}
