package io.cqrsworkers.infra;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import software.amazon.awscdk.assertions.Match;

import static io.cqrsworkers.infra.Synth.prefix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tables, queues, bucket and KCL lease tables, each as infra/resources.yaml (or the service's code) says. */
class DataResourcesTest {

    private final Synth synth = Synth.standard();
    private final ResourceModel model = Synth.model();

    @Test
    void everyTableHasItsStreamTtlPointInTimeRecoveryAndOnDemandBilling() {
        List<ResourceModel.Table> tables = model.allTables();
        assertTrue(tables.size() >= 6, "module tables expanded: " + tables);
        for (ResourceModel.Table t : tables) {
            JsonNode p = synth.byProperty("AWS::DynamoDB::Table", "TableName", prefix() + t.name()).path("Properties");
            assertEquals("PAY_PER_REQUEST", p.path("BillingMode").asText(), t.name());
            assertEquals("ttl", p.path("TimeToLiveSpecification").path("AttributeName").asText(), t.name());
            assertTrue(p.path("TimeToLiveSpecification").path("Enabled").asBoolean(), t.name());
            assertTrue(p.path("PointInTimeRecoverySpecification").path("PointInTimeRecoveryEnabled").asBoolean());
            assertEquals("[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"},{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"}]",
                    p.path("KeySchema").toString(), t.name());
            if (t.stream() == null) {
                assertTrue(p.path("StreamSpecification").isMissingNode(), t.name() + " has no stream");
            } else {
                assertEquals(t.stream(), p.path("StreamSpecification").path("StreamViewType").asText(), t.name());
            }
        }
        synth.template.hasResourceProperties("AWS::DynamoDB::Table", Map.of(
                "TableName", prefix() + "sample-command",
                "StreamSpecification", Map.of("StreamViewType", "NEW_IMAGE"),
                "TimeToLiveSpecification", Map.of("AttributeName", "ttl", "Enabled", true),
                "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true),
                "BillingMode", "PAY_PER_REQUEST"));
        synth.template.hasResourceProperties("AWS::DynamoDB::Table", Map.of(
                "TableName", prefix() + "master-data",
                "StreamSpecification", Match.absent()));
    }

    @Test
    void everyQueueHasItsDeadLetterQueueRedrivePolicyAndEncryption() {
        for (ResourceModel.Queue q : model.queues()) {
            String dlqId = synth.logicalIdOf("AWS::SQS::Queue", "QueueName", prefix() + q.deadLetterName());
            JsonNode p = synth.byProperty("AWS::SQS::Queue", "QueueName", prefix() + q.name()).path("Properties");
            assertEquals(model.maxReceiveCount(q), p.path("RedrivePolicy").path("maxReceiveCount").asInt(), q.name());
            assertEquals(dlqId, p.path("RedrivePolicy").path("deadLetterTargetArn").path("Fn::GetAtt").get(0).asText());
            assertEquals(model.visibilityTimeout(q), p.path("VisibilityTimeout").asInt(), q.name());
            assertEquals(model.queueDefaults().messageRetentionSeconds(), p.path("MessageRetentionPeriod").asInt());
            assertTrue(p.path("SqsManagedSseEnabled").asBoolean(), q.name());
            JsonNode dlq = synth.byProperty("AWS::SQS::Queue", "QueueName", prefix() + q.deadLetterName())
                    .path("Properties");
            assertTrue(dlq.path("SqsManagedSseEnabled").asBoolean(), q.deadLetterName());
        }
        synth.template.hasResourceProperties("AWS::SQS::Queue", Map.of(
                "QueueName", prefix() + "notification-queue",
                "RedrivePolicy", Match.objectLike(Map.of("maxReceiveCount", 5)),
                "SqsManagedSseEnabled", true));
        assertEquals(model.queues().size() * 2, synth.resources("AWS::SQS::Queue").size());
        // every queue refuses requests without TLS
        long tlsPolicies = synth.resources("AWS::SQS::QueuePolicy").values().stream()
                .filter(r -> r.toString().contains("aws:SecureTransport")).count();
        assertEquals(model.queues().size() * 2L, tlsPolicies);
    }

    @Test
    void theBucketIsPrivateEncryptedTlsOnlyAndExpiresStagedImportFiles() throws Exception {
        JsonNode p = synth.byProperty("AWS::S3::Bucket", "BucketName", prefix() + model.bucket()).path("Properties");
        JsonNode block = p.path("PublicAccessBlockConfiguration");
        for (String flag : List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")) {
            assertTrue(block.path(flag).asBoolean(), flag);
        }
        assertEquals("AES256", p.path("BucketEncryption").path("ServerSideEncryptionConfiguration").get(0)
                .path("ServerSideEncryptionByDefault").path("SSEAlgorithm").asText());
        String policy = synth.resources("AWS::S3::BucketPolicy").values().iterator().next().toString();
        assertTrue(policy.contains("\"aws:SecureTransport\":\"false\"") && policy.contains("\"Deny\""), policy);

        JsonNode staged = null;
        for (JsonNode rule : p.path("LifecycleConfiguration").path("Rules")) {
            if (CqrsWorkersStack.IMPORT_STAGING_PREFIX.equals(rule.path("Prefix").asText())) {
                staged = rule;
            }
        }
        assertTrue(staged != null && staged.path("ExpirationInDays").asInt() == 30, String.valueOf(p));
        // the prefix is the one the service stages uploads under
        String api = Files.readString(Synth.repoRoot().resolve(
                "src/main/java/io/cqrsworkers/imports/ImportApi.java"));
        assertTrue(api.contains("\"" + CqrsWorkersStack.IMPORT_STAGING_PREFIX), "ImportApi stages under "
                + CqrsWorkersStack.IMPORT_STAGING_PREFIX);
        // large attributes (ddb/...) are never expired
        assertFalse(p.path("LifecycleConfiguration").toString().contains("\"ddb/"));
    }

    @Test
    void kclLeaseTablesExistWithTheIndexKcl3Adds() throws Exception {
        List<String> apps = CqrsWorkersStack.kclApplications(model);
        assertEquals(List.of("workers-tasks", "workers-imports", "workers-sample-command"), apps);
        for (String app : apps) {
            JsonNode p = synth.byProperty("AWS::DynamoDB::Table", "TableName", prefix() + app).path("Properties");
            assertEquals("[{\"AttributeName\":\"leaseKey\",\"KeyType\":\"HASH\"}]", p.path("KeySchema").toString());
            assertEquals("PAY_PER_REQUEST", p.path("BillingMode").asText());
            JsonNode index = p.path("GlobalSecondaryIndexes").get(0);
            assertEquals("LeaseOwnerToLeaseKeyIndex", index.path("IndexName").asText());
            assertEquals("[{\"AttributeName\":\"leaseOwner\",\"KeyType\":\"HASH\"},{\"AttributeName\":\"leaseKey\","
                    + "\"KeyType\":\"RANGE\"}]", index.path("KeySchema").toString());
            assertEquals("KEYS_ONLY", index.path("Projection").path("ProjectionType").asText());
        }
        // the application names are the ones the service's stream routes use
        Path src = Synth.repoRoot().resolve("src/main/java/io/cqrsworkers");
        assertTrue(Files.readString(src.resolve("task/TaskStreamRoutes.java")).contains("\"workers-tasks\""));
        assertTrue(Files.readString(src.resolve("imports/ImportStreamRoutes.java")).contains("\"workers-imports\""));
        assertTrue(Files.readString(src.resolve("command/CommandStreamRoutes.java"))
                .contains("\"workers-\" + module + \"-command\""));
        assertTrue(Files.readString(src.resolve("workflow/StreamUris.java"))
                .contains("applicationName={{app.prefix}}\" + application"));
        // and nothing else: tables of the description plus the lease tables
        List<String> names = new ArrayList<>();
        synth.resources("AWS::DynamoDB::Table").values().forEach(t ->
                names.add(t.path("Properties").path("TableName").asText()));
        assertEquals(model.allTables().size() + apps.size(), names.size(), names.toString());
    }
}
