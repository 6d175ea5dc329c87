package io.cqrsworkers.localaws.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conformance cases: what DynamoDB answers on its edges, byte for byte where the source records it. Each case names
 * its source:
 * <ul>
 * <li>[dynalite] mhart/dynalite {@code test/connection.js}, {@code index.js} and {@code validations/index.js}
 * (answers recorded against DynamoDB);</li>
 * <li>[conformance] nubo-db/dynamodb-conformance, {@code tests/tier3/...} (every case run against DynamoDB);</li>
 * <li>[api] the DynamoDB API reference / developer guide.</li>
 * </ul>
 */
class ConformanceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AUTH = "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/dynamodb/aws4_request, "
            + "SignedHeaders=host, Signature=0";
    private static DynamoDbEmulator ddb;
    private static HttpClient http;

    record Answer(int status, String body, java.net.http.HttpHeaders headers) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                throw new AssertionError(body, e);
            }
        }

        String type() {
            return json().path("__type").asText();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        ddb = DynamoDbEmulator.builder().port(0).build();
        ddb.start();
        http = HttpClient.newHttpClient();
        call("CreateTable", "{\"TableName\":\"conf\",\"AttributeDefinitions\":[{\"AttributeName\":\"pk\","
                + "\"AttributeType\":\"S\"},{\"AttributeName\":\"sk\",\"AttributeType\":\"S\"}],\"KeySchema\":["
                + "{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"},{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"}],"
                + "\"BillingMode\":\"PAY_PER_REQUEST\"}");
    }

    @AfterAll
    static void stop() {
        ddb.close();
    }

    static Answer send(String method, String target, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(ddb.endpoint().resolve("/"));
        if (target != null) {
            b.header("X-Amz-Target", target);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.header("Authorization", AUTH);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body(), r.headers());
    }

    static Answer call(String op, String body) throws Exception {
        return send("POST", "DynamoDB_20120810." + op, "application/x-amz-json-1.0", body);
    }

    static void assertValidation(Answer a, String message) {
        assertThat(a.status()).as(a.body()).isEqualTo(400);
        assertThat(a.type()).as(a.body()).isEqualTo("com.amazon.coral.validate#ValidationException");
        assertThat(a.json().path("message").asText()).isEqualTo(message);
    }

    static void assertSerialization(Answer a, String message) {
        assertThat(a.status()).as(a.body()).isEqualTo(400);
        assertThat(a.type()).as(a.body()).isEqualTo("com.amazon.coral.service#SerializationException");
        // [dynalite] validations/index.js typeError: SerializationException carries "Message", capital M
        assertThat(a.json().path("Message").asText()).as(a.body()).isEqualTo(message);
    }

    // ---- the HTTP front ------------------------------------------------------------------------------------------

    @Test
    void getAnswersTheHealthLine() throws Exception {
        // [dynalite] connection.js "should return 200 if a GET"
        Answer a = send("GET", null, null, null);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body()).isEqualTo("healthy: dynamodb.us-east-1.amazonaws.com ");
        assertThat(a.headers().firstValue("x-amzn-RequestId").orElseThrow()).matches("[0-9A-Z]{52}");
        assertThat(a.headers().firstValue("x-amz-crc32").orElseThrow()).matches("[0-9]+");
    }

    @Test
    void otherMethodsAndNonJsonBodiesAre404() throws Exception {
        // [dynalite] connection.js "should return 404 if a PUT / DELETE / OPTIONS with no auth / body but no
        // content-type / incorrect content-type / application/x-amz-json-1.1 / application/jsonasdf"
        for (Answer a : new Answer[] {
                send("PUT", null, null, null),
                send("DELETE", null, null, null),
                send("OPTIONS", null, null, null),
                send("POST", null, null, "hi"),
                send("POST", null, "whatever", "hi"),
                send("POST", null, "application/x-amz-json-1.1", "hi"),
                send("POST", null, "application/jsonasdf", "hi")}) {
            assertThat(a.status()).isEqualTo(404);
            assertThat(a.body()).isEqualTo("<UnknownOperationException/>\n");
            assertThat(a.headers().firstValue("x-amz-crc32")).contains("3552371480");
        }
    }

    @Test
    void corsPreflightWithOrigin() throws Exception {
        // [dynalite] connection.js "should set CORS if OPTIONS and Origin and Headers and Method"
        HttpRequest r = HttpRequest.newBuilder(ddb.endpoint().resolve("/"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "whatever")
                .header("Access-Control-Request-Headers", "a, b, c").header("Access-Control-Request-Method", "d")
                .build();
        HttpResponse<String> a = http.send(r, HttpResponse.BodyHandlers.ofString());
        assertThat(a.statusCode()).isEqualTo(200);
        assertThat(a.headers().firstValue("access-control-allow-origin")).contains("*");
        assertThat(a.headers().firstValue("access-control-allow-headers")).contains("a, b, c");
        assertThat(a.headers().firstValue("access-control-allow-methods")).contains("d");
        assertThat(a.headers().firstValue("access-control-max-age")).contains("172800");
        assertThat(a.body()).isEmpty();
    }

    @Test
    void bodyThatIsNotJsonIsASerializationExceptionWithoutMessage() throws Exception {
        // [dynalite] connection.js "should return SerializationException if body is application/json but not JSON"
        // (also with ";", spaces and parameters after the type); the response echoes application/json
        for (String ct : new String[] {"application/json", "application/json;", "  application/json  ;   asfd"}) {
            Answer a = send("POST", null, ct, "hi");
            assertThat(a.status()).isEqualTo(400);
            assertThat(a.body()).isEqualTo("{\"__type\":\"com.amazon.coral.service#SerializationException\"}");
            assertThat(a.headers().firstValue("content-type")).contains("application/json");
            assertThat(a.headers().firstValue("x-amz-crc32")).contains("3948637019");
        }
        Answer a = send("POST", null, "application/x-amz-json-1.0", "hi");
        assertThat(a.headers().firstValue("content-type")).contains("application/x-amz-json-1.0");
    }

    @Test
    void unknownTargetIsUnknownOperationException() throws Exception {
        // [dynalite] connection.js "should return UnknownOperationException if no target / incorrect target /
        // incorrect target operation"
        for (String target : new String[] {null, "whatever", "DynamoDB_20120810.ListTable"}) {
            Answer a = send("POST", target, "application/x-amz-json-1.0", "{}");
            assertThat(a.status()).isEqualTo(400);
            assertThat(a.body()).isEqualTo("{\"__type\":\"com.amazon.coral.service#UnknownOperationException\"}");
            assertThat(a.headers().firstValue("x-amz-crc32")).contains("1368724161");
        }
        // no body and no target: UnknownOperationException too ([dynalite] "if no target")
        assertThat(send("POST", null, null, null).type())
                .isEqualTo("com.amazon.coral.service#UnknownOperationException");
        // a known target with an empty body: SerializationException ([dynalite] index.js "if (!body)")
        assertThat(send("POST", "DynamoDB_20120810.ListTables", null, null).type())
                .isEqualTo("com.amazon.coral.service#SerializationException");
    }

    // ---- serialization: a member of the wrong JSON type ---------------------------------------------------------

    @Test
    void wronglyTypedMembersAreSerializationExceptions() throws Exception {
        // [dynalite] validations/index.js checkTypes, the texts of DynamoDB's Jackson/Coral front
        assertSerialization(call("PutItem", "{\"TableName\":false,\"Item\":{}}"),
                "FALSE_VALUE cannot be converted to String");
        assertSerialization(call("PutItem", "{\"TableName\":12,\"Item\":{}}"),
                "NUMBER_VALUE cannot be converted to String");
        assertSerialization(call("PutItem", "{\"TableName\":1.5,\"Item\":{}}"),
                "DECIMAL_VALUE cannot be converted to String");
        assertSerialization(call("PutItem", "{\"TableName\":{},\"Item\":{}}"),
                "Start of structure or map found where not expected");
        assertSerialization(call("PutItem", "{\"TableName\":[],\"Item\":{}}"),
                "Unrecognized collection type class java.lang.String");
        assertSerialization(call("PutItem", "{\"TableName\":\"conf\",\"Item\":true}"), "Unexpected field type");
        assertSerialization(call("PutItem", "{\"TableName\":\"conf\",\"Item\":[]}"),
                "Unrecognized collection type java.util.Map<java.lang.String, "
                        + "com.amazonaws.dynamodb.v20120810.AttributeValue>");
        assertSerialization(call("PutItem", "{\"TableName\":\"conf\",\"Item\":{\"a\":\"x\"}}"),
                "Unexpected value type in payload");
        assertSerialization(call("PutItem", "{\"TableName\":\"conf\",\"Item\":{\"a\":{\"S\":true}}}"),
                "TRUE_VALUE cannot be converted to String");
        assertSerialization(call("PutItem", "{\"TableName\":\"conf\",\"Item\":{\"a\":{\"SS\":\"x\"}}}"),
                "Unexpected field type");
        assertSerialization(call("PutItem", "{\"TableName\":\"conf\",\"Item\":{\"a\":{\"B\":\"abc\"}}}"),
                "Base64 encoded length is expected a multiple of 4 bytes but found: 3");
        assertSerialization(call("PutItem", "{\"TableName\":\"conf\",\"Item\":{\"a\":{\"B\":12}}}"),
                "only base-64-encoded strings are convertible to bytes");
        assertSerialization(call("Query", "{\"TableName\":\"conf\",\"Limit\":\"10\"}"),
                "STRING_VALUE cannot be converted to Integer");
        assertSerialization(call("Query", "{\"TableName\":\"conf\",\"Limit\":true}"),
                "TRUE_VALUE cannot be converted to Integer");
        assertSerialization(call("GetItem", "{\"TableName\":\"conf\",\"ConsistentRead\":12,\"Key\":{}}"),
                "NUMBER_VALUE cannot be converted to Boolean");
        assertSerialization(call("GetItem", "{\"TableName\":\"conf\",\"ConsistentRead\":\"maybe\",\"Key\":{}}"),
                "Unexpected token received from parser");
        assertSerialization(call("CreateTable", "{\"KeySchema\":\"x\"}"), "Unexpected field type");
        assertSerialization(call("CreateTable", "{\"KeySchema\":[\"x\"]}"), "Unexpected value type in payload");
        assertSerialization(call("CreateTable", "{\"ProvisionedThroughput\":[]}"),
                "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.ProvisionedThroughput");
        assertSerialization(call("BatchGetItem", "{\"RequestItems\":{\"conf\":{\"Keys\":[\"x\"]}}}"),
                "class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to class "
                        + "java.lang.Class (sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and "
                        + "java.lang.Class are in module java.base of loader 'bootstrap')");
        // serialization comes before validation: a wrongly typed member is not reported missing
        assertSerialization(call("DescribeTable", "{\"TableName\":true}"), "TRUE_VALUE cannot be converted to String");
    }

    @Test
    void stringBooleansAndNullMembersAreReadAsDynamoDbReadsThem() throws Exception {
        // [dynalite] validations/index.js: 'true'/'false'/'1'/'0'/'yes'/'no' convert; null members count as absent
        assertThat(call("PutItem", "{\"TableName\":\"conf\",\"Item\":{\"pk\":{\"S\":\"b\"},\"sk\":{\"S\":\"1\"}},"
                + "\"Expected\":null}").status()).isEqualTo(200);
        Answer a = call("GetItem", "{\"TableName\":\"conf\",\"ConsistentRead\":\"yes\",\"ReturnConsumedCapacity\":"
                + "\"TOTAL\",\"Key\":{\"pk\":{\"S\":\"b\"},\"sk\":{\"S\":\"1\"}}}");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().path("ConsumedCapacity").path("CapacityUnits").asDouble()).isEqualTo(1.0);
    }

    // ---- parameter validation ----------------------------------------------------------------------------------

    @Test
    void tableNameIsCheckedFirstAndAlone() throws Exception {
        // [conformance] tier3/error-messages/putItem.test.ts (four table-name cases)
        assertValidation(call("PutItem", "{\"Item\":{\"pk\":{\"S\":\"t\"}}}"), "1 validation error detected: "
                + "Value null at 'tableName' failed to satisfy constraint: Member must not be null");
        assertValidation(call("PutItem", "{\"TableName\":\"\",\"Item\":{\"pk\":{\"S\":\"t\"}}}"),
                "1 validation error detected: Value '' at 'tableName' failed to satisfy constraint: Member must "
                        + "have length greater than or equal to 1");
        String longName = "a".repeat(256);
        assertValidation(call("PutItem", "{\"TableName\":\"" + longName + "\",\"Item\":{\"pk\":{\"S\":\"t\"}}}"),
                "1 validation error detected: Value '" + longName + "' at 'tableName' failed to satisfy "
                        + "constraint: Member must have length less than or equal to 255");
        assertValidation(call("PutItem", "{\"TableName\":\"bad table!@#\",\"Item\":{\"pk\":{\"S\":\"t\"}}}"),
                "1 validation error detected: Value 'bad table!@#' at 'tableName' failed to satisfy constraint: "
                        + "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
        // [conformance] tier3/validation-ordering/putItem.test.ts: an empty name with a bad ReturnValues names only
        // the table name
        Answer a = call("PutItem", "{\"TableName\":\"\",\"ReturnValues\":\"INVALID\",\"Item\":{}}");
        assertThat(a.json().path("message").asText()).contains("tableName").doesNotContain("returnValues");
    }

    @Test
    void allConstraintViolationsInOneMessage() throws Exception {
        // [conformance] tier3/validation-ordering/putItem.test.ts "reports invalid ReturnConsumedCapacity,
        // ReturnItemCollectionMetrics, and ReturnValues together"; enum orders from [dynalite] validations/putItem.js
        Answer a = call("PutItem", "{\"TableName\":\"missing_table\",\"Item\":{\"pk\":{\"S\":\"t\"}},"
                + "\"ReturnConsumedCapacity\":\"INVALID\",\"ReturnItemCollectionMetrics\":\"INVALID\","
                + "\"ReturnValues\":\"INVALID\"}");
        assertValidation(a, "3 validation errors detected: "
                + "Value 'INVALID' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum "
                + "value set: [INDEXES, TOTAL, NONE]; "
                + "Value 'INVALID' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value "
                + "set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]; "
                + "Value 'INVALID' at 'returnItemCollectionMetrics' failed to satisfy constraint: Member must "
                + "satisfy enum value set: [SIZE, NONE]");
        // [conformance] tier3/validation-ordering/deleteItem.test.ts, updateItem.test.ts
        for (String op : new String[] {"DeleteItem", "UpdateItem"}) {
            Answer b = call(op, "{\"TableName\":\"conf\",\"Key\":{\"pk\":{\"S\":\"t\"},\"sk\":{\"S\":\"t\"}},"
                    + "\"ReturnValues\":\"INVALID\",\"ReturnConsumedCapacity\":\"INVALID\"}");
            assertThat(b.json().path("message").asText()).startsWith("2 validation errors detected")
                    .contains("returnValues").contains("returnConsumedCapacity");
        }
    }

    @Test
    void validationBeforeTheTableExists() throws Exception {
        // [conformance] tier3/error-messages/query.test.ts "invalid Select value" (and the order of checks: parameter
        // validation answers before the table is looked up)
        assertValidation(call("Query", "{\"TableName\":\"no_such_table\",\"Select\":\"INVALID_VALUE\"}"),
                "1 validation error detected: Value 'INVALID_VALUE' at 'select' failed to satisfy constraint: Member "
                        + "must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, "
                        + "ALL_PROJECTED_ATTRIBUTES]");
        // [conformance] tier3/error-messages/query.test.ts "Limit of 0" (DynamoDB words it without the value)
        assertValidation(call("Query", "{\"TableName\":\"conf\",\"KeyConditionExpression\":\"pk = :v\","
                        + "\"ExpressionAttributeValues\":{\":v\":{\"S\":\"val\"}},\"Limit\":0}"),
                "1 validation error detected: Value at 'Limit' failed to satisfy constraint: Member must have value "
                        + "greater than or equal to 1");
        // [conformance] tier3/error-messages/scan.test.ts "Limit of 0"
        assertValidation(call("Scan", "{\"TableName\":\"conf\",\"Limit\":0}"), "1 validation error detected: "
                + "Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
        // [conformance] tier3/error-messages/scan.test.ts: segment checks
        assertValidation(call("Scan", "{\"TableName\":\"conf\",\"Segment\":1}"), "The TotalSegments parameter is "
                + "required but was not present in the request when Segment parameter is present");
        assertValidation(call("Scan", "{\"TableName\":\"conf\",\"TotalSegments\":5}"), "The Segment parameter is "
                + "required but was not present in the request when parameter TotalSegments is present");
        assertValidation(call("Scan", "{\"TableName\":\"conf\",\"Segment\":5,\"TotalSegments\":5}"), "The Segment "
                + "parameter is zero-based and must be less than parameter TotalSegments: Segment: 5 is not less "
                + "than TotalSegments: 5");
    }

    @Test
    void ownErrorsUseDynamoDbsNamespaceAndLowerCaseMessage() throws Exception {
        // [conformance] tier3/error-messages/scan.test.ts "non-existent table"; [dynalite] db/index.js getTable
        Answer a = call("Scan", "{\"TableName\":\"no_such_table\"}");
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.type()).isEqualTo("com.amazonaws.dynamodb.v20120810#ResourceNotFoundException");
        assertThat(a.json().path("message").asText()).isEqualTo("Requested resource not found");
        // [conformance] tier3/error-messages/conditionalCheck.test.ts; [dynalite] db/index.js conditionalError
        call("PutItem", "{\"TableName\":\"conf\",\"Item\":{\"pk\":{\"S\":\"c\"},\"sk\":{\"S\":\"c\"}}}");
        Answer c = call("PutItem", "{\"TableName\":\"conf\",\"Item\":{\"pk\":{\"S\":\"c\"},\"sk\":{\"S\":\"c\"}},"
                + "\"ConditionExpression\":\"attribute_not_exists(pk)\"}");
        assertThat(c.type()).isEqualTo("com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException");
        assertThat(c.json().path("message").asText()).isEqualTo("The conditional request failed");
    }

    @Test
    void createTableChecks() throws Exception {
        // [conformance] tier3/error-messages/createTable.test.ts
        assertValidation(call("CreateTable", "{\"AttributeDefinitions\":[{\"AttributeName\":\"pk\","
                        + "\"AttributeType\":\"S\"}],\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"}]}"),
                "The parameter 'TableName' is required but was not present in the request");
        assertValidation(call("CreateTable", "{\"TableName\":\"ab\",\"AttributeDefinitions\":[{\"AttributeName\":"
                        + "\"pk\",\"AttributeType\":\"S\"}],\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":"
                        + "\"HASH\"}],\"ProvisionedThroughput\":{\"ReadCapacityUnits\":5,\"WriteCapacityUnits\":5}}"),
                "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must "
                        + "have length greater than or equal to 3");
        assertValidation(call("CreateTable", "{\"TableName\":\"ct_bad_key\",\"AttributeDefinitions\":[{"
                        + "\"AttributeName\":\"pk\",\"AttributeType\":\"S\"}],\"KeySchema\":[{\"AttributeName\":\"pk\","
                        + "\"KeyType\":\"INVALID\"}],\"BillingMode\":\"PAY_PER_REQUEST\"}"),
                "1 validation error detected: Value 'INVALID' at 'keySchema.1.member.keyType' failed to satisfy "
                        + "constraint: Member must satisfy enum value set: [HASH, RANGE]");
        assertValidation(call("CreateTable", "{\"TableName\":\"ct_bad_attr\",\"AttributeDefinitions\":[{"
                        + "\"AttributeName\":\"pk\",\"AttributeType\":\"INVALID\"}],\"KeySchema\":[{\"AttributeName\":"
                        + "\"pk\",\"KeyType\":\"HASH\"}],\"BillingMode\":\"PAY_PER_REQUEST\"}"),
                "1 validation error detected: Value 'INVALID' at 'attributeDefinitions.1.member.attributeType' "
                        + "failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]");
        // [conformance] "more than 2 KeySchema elements": the value shown in Java's toString of the model
        Answer a = call("CreateTable", "{\"TableName\":\"ct_3keys\",\"AttributeDefinitions\":[{\"AttributeName\":"
                + "\"pk\",\"AttributeType\":\"S\"}],\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"},"
                + "{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"},{\"AttributeName\":\"x\",\"KeyType\":\"RANGE\"}],"
                + "\"BillingMode\":\"PAY_PER_REQUEST\"}");
        assertThat(a.json().path("message").asText()).matches("1 validation error detected: Value '\\[("
                + "KeySchemaElement\\(attributeName=\\w+, keyType=(HASH|RANGE)\\)(, )?){3}\\]' at 'keySchema' failed "
                + "to satisfy constraint: Member must have length less than or equal to 2");
    }

    @Test
    void batchAndTransactionSizes() throws Exception {
        // [conformance] tier3/error-messages/batchGetItem.test.ts, batchWriteItem.test.ts
        assertValidation(call("BatchGetItem", "{\"RequestItems\":{}}"),
                "The requestItems parameter is required for BatchGetItem");
        assertValidation(call("BatchWriteItem", "{\"RequestItems\":{}}"),
                "The requestItems parameter is required for BatchWriteItem");
        String keys = IntStream.range(0, 101).mapToObj(i -> "{\"pk\":{\"S\":\"k" + i + "\"},\"sk\":{\"S\":\"s\"}}")
                .collect(Collectors.joining(","));
        assertValidation(call("BatchGetItem", "{\"RequestItems\":{\"conf\":{\"Keys\":[" + keys + "]}}}"),
                "1 validation error detected: Value at 'RequestItems.conf.member.Keys' failed to satisfy constraint: "
                        + "Member must have length less than or equal to 100");
        String puts = IntStream.range(0, 26).mapToObj(i -> "{\"PutRequest\":{\"Item\":{\"pk\":{\"S\":\"k" + i
                + "\"},\"sk\":{\"S\":\"s\"}}}}").collect(Collectors.joining(","));
        assertThat(call("BatchWriteItem", "{\"RequestItems\":{\"conf\":[" + puts + "]}}").json().path("message")
                .asText()).matches("(?s)1 validation error detected: Value '\\{conf=\\[.+\\]\\}' at 'requestItems' "
                + "failed to satisfy constraint: Map value must satisfy constraint: \\[Member must have length less "
                + "than or equal to 25, Member must have length greater than or equal to 1\\]");
        // [conformance] tier3/error-messages/transactWriteItems.test.ts, transactGetItems.test.ts
        assertValidation(call("TransactWriteItems", "{\"TransactItems\":[]}"), "1 validation error detected: Value "
                + "'[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal "
                + "to 1");
        String gets = IntStream.range(0, 101).mapToObj(i -> "{\"Get\":{\"TableName\":\"conf\",\"Key\":{\"pk\":{"
                + "\"S\":\"k" + i + "\"},\"sk\":{\"S\":\"s\"}}}}").collect(Collectors.joining(","));
        assertThat(call("TransactGetItems", "{\"TransactItems\":[" + gets + "]}").json().path("message").asText())
                .matches("(?s)1 validation error detected: Value '\\[.+\\]' at 'transactItems' failed to satisfy "
                        + "constraint: Member must have length less than or equal to 100");
    }

    // ---- ConsumedCapacity and limits -----------------------------------------------------------------------------

    @Test
    void consumedCapacityFollowsTheDocumentedUnits() throws Exception {
        // [api] Developer Guide "Read/write capacity mode": reads in 4 KB units (half when eventually consistent),
        // writes in 1 KB units of the larger image, at least one unit
        String big = "x".repeat(5000);
        Answer put = call("PutItem", "{\"TableName\":\"conf\",\"ReturnConsumedCapacity\":\"INDEXES\",\"Item\":{"
                + "\"pk\":{\"S\":\"cap\"},\"sk\":{\"S\":\"1\"},\"v\":{\"S\":\"" + big + "\"}}}");
        assertThat(put.json().path("ConsumedCapacity").path("CapacityUnits").asDouble()).isEqualTo(5.0);
        assertThat(put.json().path("ConsumedCapacity").path("Table").path("CapacityUnits").asDouble()).isEqualTo(5.0);
        assertThat(put.json().path("ConsumedCapacity").path("TableName").asText()).isEqualTo("conf");
        String key = "\"Key\":{\"pk\":{\"S\":\"cap\"},\"sk\":{\"S\":\"1\"}}";
        assertThat(call("GetItem", "{\"TableName\":\"conf\",\"ReturnConsumedCapacity\":\"TOTAL\"," + key + "}")
                .json().path("ConsumedCapacity").path("CapacityUnits").asDouble()).isEqualTo(1.0);
        assertThat(call("GetItem", "{\"TableName\":\"conf\",\"ConsistentRead\":true,"
                + "\"ReturnConsumedCapacity\":\"TOTAL\"," + key + "}").json().path("ConsumedCapacity")
                .path("CapacityUnits").asDouble()).isEqualTo(2.0);
        // a missing item still costs the minimum
        assertThat(call("GetItem", "{\"TableName\":\"conf\",\"ReturnConsumedCapacity\":\"TOTAL\",\"Key\":{"
                + "\"pk\":{\"S\":\"none\"},\"sk\":{\"S\":\"1\"}}}").json().path("ConsumedCapacity")
                .path("CapacityUnits").asDouble()).isEqualTo(0.5);
        assertThat(call("DeleteItem", "{\"TableName\":\"conf\",\"ReturnConsumedCapacity\":\"TOTAL\"," + key + "}")
                .json().path("ConsumedCapacity").path("CapacityUnits").asDouble()).isEqualTo(5.0);
        // [api] transactional writes cost two units per 1 KB
        Answer tx = call("TransactWriteItems", "{\"ReturnConsumedCapacity\":\"TOTAL\",\"TransactItems\":[{\"Put\":{"
                + "\"TableName\":\"conf\",\"Item\":{\"pk\":{\"S\":\"tx\"},\"sk\":{\"S\":\"1\"}}}}]}");
        assertThat(tx.json().path("ConsumedCapacity").get(0).path("CapacityUnits").asDouble()).isEqualTo(2.0);
    }

    @Test
    void transactionOver4MbIsRejected() throws Exception {
        // [conformance] tier3/limits/transactionLimits.test.ts "total item size over 4MB fails with
        // ValidationException" (12 items of 350 KB); [api] TransactWriteItems: aggregate size up to 4 MB
        String payload = "x".repeat(350_000);
        String puts = IntStream.range(0, 12).mapToObj(i -> "{\"Put\":{\"TableName\":\"conf\",\"Item\":{\"pk\":{"
                + "\"S\":\"big" + i + "\"},\"sk\":{\"S\":\"s\"},\"payload\":{\"S\":\"" + payload + "\"}}}}")
                .collect(Collectors.joining(","));
        Answer a = call("TransactWriteItems", "{\"TransactItems\":[" + puts + "]}");
        assertThat(a.type()).isEqualTo("com.amazon.coral.validate#ValidationException");
    }

    @Test
    void tablesPassThroughCreatingWithAConfigurableDelay() throws Exception {
        // [api] CreateTable answers TableStatus CREATING; DescribeTable shows CREATING until the table is ACTIVE;
        // [dynalite] db/index.js getTable: item operations on a CREATING table answer ResourceNotFoundException
        Answer created = call("CreateTable", "{\"TableName\":\"conf_status\",\"AttributeDefinitions\":[{"
                + "\"AttributeName\":\"pk\",\"AttributeType\":\"S\"}],\"KeySchema\":[{\"AttributeName\":\"pk\","
                + "\"KeyType\":\"HASH\"}],\"BillingMode\":\"PAY_PER_REQUEST\"}");
        assertThat(created.json().path("TableDescription").path("TableStatus").asText()).isEqualTo("CREATING");
        // the default delay is 0: ACTIVE at once
        assertThat(call("DescribeTable", "{\"TableName\":\"conf_status\"}").json().path("Table")
                .path("TableStatus").asText()).isEqualTo("ACTIVE");
        try (DynamoDbEmulator slow = DynamoDbEmulator.builder().port(0).tableStatusDelay(java.time.Duration
                .ofMillis(700)).build()) {
            slow.start();
            var client = TestSupport.client(slow.endpoint());
            client.createTable(TestSupport.table("slow", null).build());
            assertThat(client.describeTable(r -> r.tableName("slow")).table().tableStatusAsString())
                    .isEqualTo("CREATING");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.getItem(r -> r.tableName("slow")
                            .key(java.util.Map.of("pk", TestSupport.s("a")))))
                    .isInstanceOf(software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException.class);
            // the SDK's waiter works both ways
            try (var waiter = software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter.builder().client(client)
                    .overrideConfiguration(o -> o.backoffStrategy(software.amazon.awssdk.core.retry.backoff
                            .FixedDelayBackoffStrategy.create(java.time.Duration.ofMillis(100)))).build()) {
                waiter.waitUntilTableExists(r -> r.tableName("slow"));
            }
            assertThat(client.describeTable(r -> r.tableName("slow")).table().tableStatusAsString())
                    .isEqualTo("ACTIVE");
            client.close();
        }
    }
}
