package io.cqrsworkers.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.aws.AwsClients;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * When the context starts, before its routes do: creates in the embedded DynamoDB the KCL lease tables that
 * the stack creates in AWS (every table of the template keyed by leaseKey, with its indexes), named with the running
 * service's prefix. Without them KCL would create them itself (CreateTable, UpdateTable), which it does not do in AWS
 * and the task role rightly does not allow. Built with a client of its own: these calls are not the service's.
 */
public class DeployedLeaseTables implements CamelConfiguration {

    /** Added before the service's configuration classes run: the work waits for the start, before the routes. */
    @Override
    public void configure(CamelContext context) throws Exception {
        context.addStartupListener((StartupListener) (started, alreadyStarted) -> createLeaseTables(started));
    }

    private static void createLeaseTables(CamelContext context) throws Exception {
        TaskRolePolicy policy = TaskRolePolicy.load(Path.of("").toAbsolutePath());
        String servicePrefix = context.resolvePropertyPlaceholders("{{app.prefix}}");
        AwsClients aws = context.getRegistry().lookupByNameAndType("awsClients", AwsClients.class);
        JsonNode resources = new ObjectMapper().readTree(policy.template.toFile()).path("Resources");
        try (DynamoDbClient dynamo = DynamoDbClient.builder().region(aws.region())
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .endpointOverride(aws.endpoints().get(AwsClients.DYNAMODB)).build()) {
            resources.forEach(r -> {
                JsonNode p = r.path("Properties");
                if (!"AWS::DynamoDB::Table".equals(r.path("Type").asText())
                        || !"leaseKey".equals(p.path("KeySchema").path(0).path("AttributeName").asText())) {
                    return;
                }
                String name = servicePrefix + p.path("TableName").asText().substring(policy.prefix.length());
                List<GlobalSecondaryIndex> indexes = new ArrayList<>();
                p.path("GlobalSecondaryIndexes").forEach(i -> indexes.add(GlobalSecondaryIndex.builder()
                        .indexName(i.path("IndexName").asText()).keySchema(keys(i.path("KeySchema")))
                        .projection(Projection.builder().projectionType(i.at("/Projection/ProjectionType").asText())
                                .build()).build()));
                List<AttributeDefinition> attributes = new ArrayList<>();
                p.path("AttributeDefinitions").forEach(a -> attributes.add(AttributeDefinition.builder()
                        .attributeName(a.path("AttributeName").asText())
                        .attributeType(a.path("AttributeType").asText()).build()));
                try {
                    dynamo.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                            .keySchema(keys(p.path("KeySchema"))).attributeDefinitions(attributes)
                            .globalSecondaryIndexes(indexes.isEmpty() ? null : indexes));
                    dynamo.waiter().waitUntilTableExists(b -> b.tableName(name));
                } catch (ResourceInUseException exists) {
                    // an earlier start on this data directory
                }
            });
        }
    }

    private static List<KeySchemaElement> keys(JsonNode schema) {
        List<KeySchemaElement> keys = new ArrayList<>();
        schema.forEach(k -> keys.add(KeySchemaElement.builder().attributeName(k.path("AttributeName").asText())
                .keyType(k.path("KeyType").asText()).build()));
        return keys;
    }
}
