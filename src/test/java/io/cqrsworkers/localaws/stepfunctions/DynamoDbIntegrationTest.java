package io.cqrsworkers.localaws.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.localaws.dynamodb.DynamoDbEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import static io.cqrsworkers.localaws.stepfunctions.SfnTestSupport.awaitEnd;
import static io.cqrsworkers.localaws.stepfunctions.SfnTestSupport.createMachine;
import static org.assertj.core.api.Assertions.assertThat;

/** dynamodb:putItem/getItem/updateItem/deleteItem against the project's DynamoDB emulator. */
class DynamoDbIntegrationTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static DynamoDbEmulator ddb;
    static StepFunctionsEmulator emulator;
    static SfnClient sfn;

    @BeforeAll
    static void start() throws Exception {
        ddb = DynamoDbEmulator.builder().build();
        ddb.start();
        try (DynamoDbClient client = DynamoDbClient.builder().endpointOverride(ddb.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(ApacheHttpClient.create()).build()) {
            client.createTable(b -> b.tableName("items").billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()));
        }
        emulator = StepFunctionsEmulator.builder().dynamoDbEndpoint(ddb.endpoint()).build();
        emulator.start();
        sfn = SfnTestSupport.client(emulator);
    }

    @AfterAll
    static void stop() {
        sfn.close();
        emulator.close();
        ddb.close();
    }

    @Test
    void crudThroughTaskStates() throws Exception {
        String machine = createMachine(sfn, "ddb-crud", """
                {"StartAt":"Put","States":{
                  "Put":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:putItem","ResultPath":null,
                    "Parameters":{"TableName":"items","Item":{"pk":{"S.$":"$.id"},"n":{"N":"1"}}},"Next":"Update"},
                  "Update":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:updateItem","ResultPath":"$.updated",
                    "Parameters":{"TableName":"items","Key":{"pk":{"S.$":"$.id"}},"UpdateExpression":"SET n = n + :one",
                      "ExpressionAttributeValues":{":one":{"N":"1"}},"ReturnValues":"ALL_NEW"},"Next":"Get"},
                  "Get":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:getItem","ResultPath":"$.got",
                    "Parameters":{"TableName":"items","Key":{"pk":{"S.$":"$.id"}}},"Next":"PutAgain"},
                  "PutAgain":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:putItem","ResultPath":null,
                    "Parameters":{"TableName":"items","Item":{"pk":{"S.$":"$.id"}},"ConditionExpression":"attribute_not_exists(pk)"},
                    "Catch":[{"ErrorEquals":["DynamoDB.ConditionalCheckFailedException"],"ResultPath":"$.conflict","Next":"Delete"}],"Next":"Delete"},
                  "Delete":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:deleteItem","ResultPath":null,
                    "Parameters":{"TableName":"items","Key":{"pk":{"S.$":"$.id"}}},"End":true}}}""");
        String exec = sfn.startExecution(b -> b.stateMachineArn(machine).input("{\"id\":\"a1\"}")).executionArn();
        DescribeExecutionResponse d = awaitEnd(sfn, exec);
        assertThat(d.status()).as(d.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        JsonNode out = MAPPER.readTree(d.output());
        assertThat(out.path("updated").path("Attributes").path("n").path("N").asText()).isEqualTo("2");
        assertThat(out.path("got").path("Item").path("n").path("N").asText()).isEqualTo("2");
        assertThat(out.path("conflict").path("Error").asText()).isEqualTo("DynamoDB.ConditionalCheckFailedException");
    }
}
