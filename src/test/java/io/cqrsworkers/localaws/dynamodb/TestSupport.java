package io.cqrsworkers.localaws.dynamodb;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Shared test helpers: SDK clients pointed at an emulator, and attribute-value shorthands. */
final class TestSupport {

    static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

    private TestSupport() {
    }

    static DynamoDbClient client(URI endpoint) {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS).build();
    }

    static DynamoDbStreamsClient streams(URI endpoint) {
        return DynamoDbStreamsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS).build();
    }

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    static AttributeValue n(String v) {
        return AttributeValue.fromN(v);
    }

    /** CreateTable with string hash key {@code pk} and optional sort key {@code sk} of the given type. */
    static CreateTableRequest.Builder table(String name, ScalarAttributeType sortType) {
        List<AttributeDefinition> defs = new ArrayList<>();
        List<KeySchemaElement> keys = new ArrayList<>();
        defs.add(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build());
        keys.add(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build());
        if (sortType != null) {
            defs.add(AttributeDefinition.builder().attributeName("sk").attributeType(sortType).build());
            keys.add(KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build());
        }
        return CreateTableRequest.builder().tableName(name).attributeDefinitions(defs).keySchema(keys)
                .billingMode(BillingMode.PAY_PER_REQUEST);
    }

    static Map<String, AttributeValue> item(Object... kv) {
        Map<String, AttributeValue> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (AttributeValue) kv[i + 1]);
        }
        return m;
    }
}
