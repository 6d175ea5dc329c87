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
 * <li>[api] the DynamoDB API reference / developer guide;</li>
 * <li>[capture] figures and texts measured against DynamoDB by other projects' suites, named in each case
 * (nubo-db/dynamodb-conformance src/item-size.ts and tests/tier3/limits, ExtendDB's expression-size tests,
 * paritysuite/dynamodb-conformance tests/tier3/limits) or answers quoted in public issues.</li>
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

    // ---- item size, counted as DynamoDB counts it ----------------------------------------------------------------

    private static final int MAX_ITEM = 409_600;

    /** {pk, sk, n: literal, p: padding}, padded so the item measures {@code total} if the number costs {@code cost}. */
    private static String sizedWithNumber(String pk, String literal, int cost, int total) {
        int padding = total - (2 + pk.length()) - (2 + 1) - (1 + cost) - 1;
        return "{\"pk\":{\"S\":\"" + pk + "\"},\"sk\":{\"S\":\"s\"},\"n\":{\"N\":\"" + literal + "\"},\"p\":{\"S\":\""
                + "x".repeat(padding) + "\"}}";
    }

    @Test
    void numbersCostWhatDynamoDbCharges() throws Exception {
        // [capture] nubo-db/dynamodb-conformance src/item-size.ts CAPTURED_NUMBER_BYTES (eu-west-2, 2026-08-18):
        // each literal's cost, measured by an item of exactly 409,600 bytes accepted and one byte more refused
        String[][] captured = {{"0", "1"}, {"1", "2"}, {"12", "2"}, {"123", "3"}, {"1234", "3"},
                {"12345678901234567890123456789012345678", "20"}, {"0042", "2"}, {"100", "2"}, {"1010", "3"},
                {"0.0000001", "2"}, {"1E125", "2"}, {"1E-100", "2"}, {"1.5", "3"}, {"15", "2"}, {"1.2", "3"},
                {"1.200", "3"}, {"1.234", "4"}, {"3.14159", "5"}, {"123456", "4"}, {"100.5", "4"}, {"0.15", "2"},
                {"-42", "3"}, {"-0", "1"}};
        for (String[] c : captured) {
            int cost = Integer.parseInt(c[1]);
            Answer at = call("PutItem", "{\"TableName\":\"conf\",\"Item\":" + sizedWithNumber("num-at", c[0], cost, MAX_ITEM) + "}");
            assertThat(at.status()).as("%s at 409,600: %s", c[0], at.body()).isEqualTo(200);
            assertValidation(call("PutItem", "{\"TableName\":\"conf\",\"Item\":"
                    + sizedWithNumber("num-over", c[0], cost, MAX_ITEM + 1) + "}"),
                    "Item size has exceeded the maximum allowed size");
        }
    }

    @Test
    void itemSizeCountsNamesValuesAndDocumentOverhead() throws Exception {
        // [dynalite] test/putItem.js "item is too big with small / larger attribute" (recorded): 409,600 bytes are
        // fine, 409,601 are not, and the attribute names count
        String key = "\"pk\":{\"S\":\"isz\"},\"sk\":{\"S\":\"s\"}";   // 2 + 3 + 2 + 1 = 8 bytes
        String name = "bbbbbbbbbbbbbbbbbbbbbbbbbbb";                  // 27 bytes
        assertThat(call("PutItem", "{\"TableName\":\"conf\",\"Item\":{" + key + ",\"" + name + "\":{\"S\":\""
                + "x".repeat(MAX_ITEM - 8 - 27) + "\"}}}").status()).isEqualTo(200);
        assertValidation(call("PutItem", "{\"TableName\":\"conf\",\"Item\":{" + key + ",\"" + name + "\":{\"S\":\""
                + "x".repeat(MAX_ITEM - 8 - 27 + 1) + "\"}}}"), "Item size has exceeded the maximum allowed size");
        // [api] Developer Guide "Item sizes and formats": a List or Map costs 3 bytes, each element 1 more, a map
        // key its UTF-8 bytes; UTF-8 strings count their bytes (é is 2)
        // m: {a: "ab", l: [true, "é"]} = name 1 + map 3 + (1 + "a" 1 + 2) + (1 + "l" 1 + list 3 + (1 + 1) + (1 + 2))
        int doc = 1 + 3 + (1 + 1 + 2) + (1 + 1 + 3 + (1 + 1) + (1 + 2));
        String item = "{" + key + ",\"m\":{\"M\":{\"a\":{\"S\":\"ab\"},\"l\":{\"L\":[{\"BOOL\":true},{\"S\":\"é\"}]}}}";
        assertThat(call("PutItem", "{\"TableName\":\"conf\",\"Item\":" + item + ",\"p\":{\"S\":\""
                + "x".repeat(MAX_ITEM - 8 - doc - 1) + "\"}}}").status()).isEqualTo(200);
        assertValidation(call("PutItem", "{\"TableName\":\"conf\",\"Item\":" + item + ",\"p\":{\"S\":\""
                + "x".repeat(MAX_ITEM - 8 - doc) + "\"}}}"), "Item size has exceeded the maximum allowed size");
        // [capture] nubo-db/dynamodb-conformance itemSizeBySurface: BatchWriteItem measures the item flat, put wording
        assertValidation(call("BatchWriteItem", "{\"RequestItems\":{\"conf\":[{\"PutRequest\":{\"Item\":{" + key
                + ",\"p\":{\"S\":\"" + "x".repeat(MAX_ITEM - 8) + "\"}}}}]}}"),
                "Item size has exceeded the maximum allowed size");
    }

    private static Answer updateSetP(String pk, String padding) throws Exception {
        return call("UpdateItem", "{\"TableName\":\"conf\",\"Key\":{\"pk\":{\"S\":\"" + pk + "\"},\"sk\":{\"S\":\"s\"}},"
                + "\"UpdateExpression\":\"SET p = :p\",\"ExpressionAttributeValues\":{\":p\":{\"S\":\"" + padding + "\"}}}");
    }

    @Test
    void updateItemMeasuresWhatItWritesPlusACostPerAction() throws Exception {
        // [capture] nubo-db/dynamodb-conformance tests/tier3/limits/itemSizeBySurface.test.ts (2026-08-18/19):
        // UpdateItem refuses when max(finished item, attributes it writes + 3 + 19 per SET) > 409,600, with the
        // update wording ([dynalite] actions/updateItem.js, recorded)
        // a short key (pk "K", sk "s": 6 bytes) is less than the 22 bytes of one SET: the ceiling is 409,600 - 16
        int ceiling = MAX_ITEM + 6 - 22;
        assertThat(updateSetP("K", "x".repeat(ceiling - 6 - 1)).status()).isEqualTo(200);
        assertValidation(updateSetP("L", "x".repeat(ceiling - 6 - 1 + 1)),
                "Item size to update has exceeded the maximum allowed size");
        // a long key: the stored item binds, flat at 409,600
        String longKey = "k".repeat(100);
        int keyBytes = 2 + 100 + 2 + 1;
        assertThat(updateSetP(longKey, "x".repeat(MAX_ITEM - keyBytes - 1)).status()).isEqualTo(200);
        assertValidation(updateSetP("l".repeat(100), "x".repeat(MAX_ITEM - keyBytes - 1 + 1)),
                "Item size to update has exceeded the maximum allowed size");
        // an update that grows an existing item over the limit (the item is measured again after the update)
        assertValidation(call("UpdateItem", "{\"TableName\":\"conf\",\"Key\":{\"pk\":{\"S\":\"" + longKey + "\"},"
                + "\"sk\":{\"S\":\"s\"}},\"UpdateExpression\":\"SET q = :q\",\"ExpressionAttributeValues\":{\":q\":"
                + "{\"S\":\"y\"}}}"), "Item size to update has exceeded the maximum allowed size");
        // a transacted Update measures the stored item only: it writes at the short key what UpdateItem refuses ...
        String txUpdate = "{\"TransactItems\":[{\"Update\":{\"TableName\":\"conf\",\"Key\":{\"pk\":{\"S\":\"T\"},"
                + "\"sk\":{\"S\":\"s\"}},\"UpdateExpression\":\"SET p = :p\",\"ExpressionAttributeValues\":{\":p\":"
                + "{\"S\":\"%s\"}}}}]}";
        assertThat(call("TransactWriteItems", String.format(txUpdate, "x".repeat(MAX_ITEM - 6 - 1))).status())
                .isEqualTo(200);
        // ... and one byte more cancels the transaction with a ValidationError reason in the update wording
        Answer over = call("TransactWriteItems", String.format(txUpdate.replace("\"T\"", "\"U\""),
                "x".repeat(MAX_ITEM - 6)));
        assertThat(over.type()).isEqualTo("com.amazonaws.dynamodb.v20120810#TransactionCanceledException");
        assertThat(over.json().path("CancellationReasons").get(0).path("Code").asText()).isEqualTo("ValidationError");
        assertThat(over.json().path("CancellationReasons").get(0).path("Message").asText())
                .isEqualTo("Item size to update has exceeded the maximum allowed size");
        // a transacted Put over the limit is a ValidationException before the transaction, in the put wording
        assertValidation(call("TransactWriteItems", "{\"TransactItems\":[{\"Put\":{\"TableName\":\"conf\",\"Item\":{"
                + "\"pk\":{\"S\":\"V\"},\"sk\":{\"S\":\"s\"},\"p\":{\"S\":\"" + "x".repeat(MAX_ITEM - 6) + "\"}}}}]}"),
                "Item size has exceeded the maximum allowed size");
    }

    // ---- batch limits --------------------------------------------------------------------------------------------

    @Test
    void batchGetItemAnswersUpTo16MbAndLeavesTheRestInUnprocessedKeys() throws Exception {
        // [api] BatchGetItem: "if you ask to retrieve 100 items, but each individual item is 300 KB in size, the
        // system returns 52 items (so as not to exceed the 16 MB limit). It also returns an appropriate
        // UnprocessedKeys value so you can get the next page of results."
        int itemBytes = 300 * 1024;
        StringBuilder keys = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            String pk = String.format("bg%03d", i);                    // pk 2 + 5, sk 2 + 1, p 1
            Answer put = call("PutItem", "{\"TableName\":\"conf\",\"Item\":{\"pk\":{\"S\":\"" + pk + "\"},\"sk\":"
                    + "{\"S\":\"s\"},\"p\":{\"S\":\"" + "x".repeat(itemBytes - 11) + "\"}}}");
            assertThat(put.status()).isEqualTo(200);
            keys.append(i == 0 ? "" : ",").append("{\"pk\":{\"S\":\"").append(pk).append("\"},\"sk\":{\"S\":\"s\"}}");
        }
        Answer first = call("BatchGetItem", "{\"ReturnConsumedCapacity\":\"TOTAL\",\"RequestItems\":{\"conf\":{"
                + "\"ConsistentRead\":true,\"ProjectionExpression\":\"pk, #p\",\"ExpressionAttributeNames\":"
                + "{\"#p\":\"p\"},\"Keys\":[" + keys + "]}}}");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().path("Responses").path("conf")).hasSize(52);
        JsonNode left = first.json().path("UnprocessedKeys").path("conf");
        assertThat(left.path("Keys")).hasSize(48);
        // the unprocessed keys keep their table's parameters, so the request can be sent again as it is
        assertThat(left.path("ConsistentRead").asBoolean()).isTrue();
        assertThat(left.path("ProjectionExpression").asText()).isEqualTo("pk, #p");
        assertThat(left.path("ExpressionAttributeNames").path("#p").asText()).isEqualTo("p");
        // only what was read is charged: 52 strongly consistent reads of 75 units
        assertThat(first.json().path("ConsumedCapacity").get(0).path("CapacityUnits").asDouble()).isEqualTo(52 * 75.0);
        Answer second = call("BatchGetItem", "{\"RequestItems\":" + first.json().path("UnprocessedKeys") + "}");
        assertThat(second.json().path("Responses").path("conf")).hasSize(48);
        assertThat(second.json().path("UnprocessedKeys").size()).isZero();
        // [api] "If you request more than 100 items, BatchGetItem returns a ValidationException with the message
        // 'Too many items requested for the BatchGetItem call.'" - 101 keys over two tables ([dynalite]
        // validations/batchGetItem.js; the per-table 100 is the model's constraint, batchAndTransactionSizes)
        String fifty = keys.substring(0, nthIndexOf(keys, "},{\"pk\"", 50) + 1);
        String fiftyOne = keys.substring(0, nthIndexOf(keys, "},{\"pk\"", 51) + 1);
        assertValidation(call("BatchGetItem", "{\"RequestItems\":{\"conf\":{\"Keys\":[" + fifty + "]},\"conf_other\":"
                + "{\"Keys\":[" + fiftyOne + "]}}}"), "Too many items requested for the BatchGetItem call");
    }

    private static int nthIndexOf(CharSequence s, String what, int n) {
        int at = -1;
        for (int i = 0; i < n; i++) {
            at = s.toString().indexOf(what, at + 1);
        }
        return at;
    }

    @Test
    void batchWriteItemOfTwentyFiveLargestItemsLeavesNothingUnprocessed() throws Exception {
        // [api] BatchWriteItem: up to 25 requests, items up to 400 KB, 16 MB in all; UnprocessedItems only for
        // throughput or internal failures, which the emulator does not have (25 items of 400 KB are 10 MB)
        String puts = IntStream.range(0, 25).mapToObj(i -> "{\"PutRequest\":{\"Item\":{\"pk\":{\"S\":\""
                + String.format("bw%03d", i) + "\"},\"sk\":{\"S\":\"s\"},\"p\":{\"S\":\"" + "x".repeat(MAX_ITEM - 11)
                + "\"}}}}").collect(Collectors.joining(","));
        Answer a = call("BatchWriteItem", "{\"RequestItems\":{\"conf\":[" + puts + "]}}");
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(a.json().path("UnprocessedItems").size()).isZero();
    }

    // ---- expression limits ---------------------------------------------------------------------------------------

    @Test
    void expressionsOver4KbAreRefusedWithDynamoDbsTexts() throws Exception {
        // [api] Developer Guide "Expression parameters": any expression string up to 4 KB, measured as sent;
        // [capture] ExtendDB test_expression_size.py (us-east-1): the texts, " expression size: N" only after
        // Condition and Filter expressions; aws/aws-sdk-java-v2#4597 and pynamodb/PynamoDB#979 answers alike
        String key = "\"Key\":{\"pk\":{\"S\":\"exp\"},\"sk\":{\"S\":\"s\"}}";
        String name4096 = "a" + "z".repeat(4095);
        String name4097 = "a" + "z".repeat(4096);
        assertThat(call("GetItem", "{\"TableName\":\"conf\"," + key + ",\"ProjectionExpression\":\"" + name4096 + "\"}")
                .status()).isEqualTo(200);
        assertValidation(call("GetItem", "{\"TableName\":\"conf\"," + key + ",\"ProjectionExpression\":\"" + name4097
                + "\"}"), "Invalid ProjectionExpression: Expression size has exceeded the maximum allowed size;");
        String set = "SET " + name4097.substring(9) + " = :v";          // 4097 bytes
        assertValidation(call("UpdateItem", "{\"TableName\":\"conf\"," + key + ",\"UpdateExpression\":\"" + set
                + "\",\"ExpressionAttributeValues\":{\":v\":{\"S\":\"x\"}}}"),
                "Invalid UpdateExpression: Expression size has exceeded the maximum allowed size;");
        String cond = "attribute_not_exists(" + name4097 + ")";
        assertValidation(call("PutItem", "{\"TableName\":\"conf\",\"Item\":{\"pk\":{\"S\":\"exp\"},\"sk\":{\"S\":\"s\"}},"
                + "\"ConditionExpression\":\"" + cond + "\"}"), "Invalid ConditionExpression: Expression size has "
                + "exceeded the maximum allowed size; expression size: " + cond.length());
        String filter = name4097 + " = :v";
        assertValidation(call("Scan", "{\"TableName\":\"conf\",\"FilterExpression\":\"" + filter + "\","
                + "\"ExpressionAttributeValues\":{\":v\":{\"S\":\"x\"}}}"), "Invalid FilterExpression: Expression size "
                + "has exceeded the maximum allowed size; expression size: " + filter.length());
        String keyCond = "pk = :p AND " + name4097 + " = :q";
        assertValidation(call("Query", "{\"TableName\":\"conf\",\"KeyConditionExpression\":\"" + keyCond + "\","
                + "\"ExpressionAttributeValues\":{\":p\":{\"S\":\"k\"},\":q\":{\"S\":\"x\"}}}"),
                "Invalid KeyConditionExpression: Expression size has exceeded the maximum allowed size;");
        // [capture] paritysuite/dynamodb-conformance expressionSize.test.ts: the raw string is measured, not the one
        // with the names substituted (30 aliases whose names come to 7.5 KB pass)
        StringBuilder names = new StringBuilder();
        StringBuilder aliases = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            names.append(i == 0 ? "" : ",").append("\"#a").append(i).append("\":\"").append("n".repeat(246)).append("q")
                    .append(i).append("\"");
            aliases.append(i == 0 ? "" : ", ").append("#a").append(i);
        }
        assertThat(call("GetItem", "{\"TableName\":\"conf\"," + key + ",\"ProjectionExpression\":\"" + aliases
                + "\",\"ExpressionAttributeNames\":{" + names + "}}").status()).isEqualTo(200);
    }

    @Test
    void operatorAndInOperandCounts() throws Exception {
        // [api] at most 300 operators or functions in an expression, at most 100 operands for IN;
        // scylladb/scylladb test_limits.py test_deeply_nested_expression_2 and #14473: 299 "<" and "or" pass, and
        // past 300 DynamoDB answers "Invalid ConditionExpression: The expression contains too many operators;
        // operator count: 301"
        call("PutItem", "{\"TableName\":\"conf\",\"Item\":{\"pk\":{\"S\":\"ops\"},\"sk\":{\"S\":\"s\"},"
                + "\"a\":{\"N\":\"1\"},\"b\":{\"N\":\"2\"}}}");
        String update = "{\"TableName\":\"conf\",\"Key\":{\"pk\":{\"S\":\"ops\"},\"sk\":{\"S\":\"s\"}},"
                + "\"UpdateExpression\":\"SET z = :v\",\"ExpressionAttributeValues\":{\":v\":{\"N\":\"1\"}},"
                + "\"ConditionExpression\":\"%s\"}";
        String ok = "a<b " + "or (a<b ".repeat(149) + ")".repeat(149);   // 150 "<" and 149 "or": 299 operators
        Answer accepted = call("UpdateItem", String.format(update, ok));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
        String over = "a<b " + "or (a<b ".repeat(150) + ")".repeat(150);   // 301 operators
        assertValidation(call("UpdateItem", String.format(update, over)),
                "Invalid ConditionExpression: The expression contains too many operators; operator count: 301");
        // reapit/foundations#8255 (AWS): "Invalid FilterExpression: The IN operator is provided with too many
        // operands; number of operands: 163"
        StringBuilder values = new StringBuilder();
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < 101; i++) {
            values.append(i == 0 ? "" : ",").append("\":v").append(i).append("\":{\"N\":\"").append(i).append("\"}");
            in.append(i == 0 ? "" : ",").append(":v").append(i);
        }
        assertValidation(call("Scan", "{\"TableName\":\"conf\",\"FilterExpression\":\"a IN (" + in + ")\","
                + "\"ExpressionAttributeValues\":{" + values + "}}"),
                "Invalid FilterExpression: The IN operator is provided with too many operands; number of operands: 101");
        String hundred = in.substring(0, in.lastIndexOf(","));
        String hundredValues = values.substring(0, values.lastIndexOf(",\":v100\""));
        assertThat(call("Scan", "{\"TableName\":\"conf\",\"FilterExpression\":\"a IN (" + hundred + ")\","
                + "\"ExpressionAttributeValues\":{" + hundredValues + "}}").status()).isEqualTo(200);
    }

    @Test
    void placeholderKeysAreCheckedForLengthThenSyntax() throws Exception {
        // [api] a placeholder is at most 255 bytes with its # or :; [capture] ExtendDB serde tests (texts captured
        // from DynamoDB): the names' text ends with its size, the values' does not; [dynalite] validations/index.js:
        // the syntax error
        String base = "{\"TableName\":\"conf\",\"Key\":{\"pk\":{\"S\":\"ph\"},\"sk\":{\"S\":\"s\"}},";
        String n255 = "#" + "a".repeat(254);
        assertThat(call("GetItem", base + "\"ProjectionExpression\":\"" + n255 + "\",\"ExpressionAttributeNames\":{\""
                + n255 + "\":\"x\"}}").status()).isEqualTo(200);
        String n256 = "#" + "a".repeat(255);
        assertValidation(call("GetItem", base + "\"ProjectionExpression\":\"" + n256 + "\",\"ExpressionAttributeNames\""
                + ":{\"" + n256 + "\":\"x\"}}"), "ExpressionAttributeNames contains invalid key: The expression "
                + "attribute map contains a key that is too long; size of key: 256");
        String v256 = ":" + "a".repeat(255);
        assertValidation(call("UpdateItem", base + "\"UpdateExpression\":\"SET x = " + v256 + "\","
                + "\"ExpressionAttributeValues\":{\"" + v256 + "\":{\"S\":\"x\"}}}"), "ExpressionAttributeValues "
                + "contains invalid key: The expression attribute map contains a key that is too long;");
        assertValidation(call("GetItem", base + "\"ProjectionExpression\":\"#a\",\"ExpressionAttributeNames\":"
                + "{\"#a-b\":\"x\"}}"), "ExpressionAttributeNames contains invalid key: Syntax error; key: \"#a-b\"");
        assertValidation(call("UpdateItem", base + "\"UpdateExpression\":\"SET x = :v\",\"ExpressionAttributeValues\":"
                + "{\"v\":{\"S\":\"x\"}}}"), "ExpressionAttributeValues contains invalid key: Syntax error; key: \"v\"");
        // [api] all substitution variables of a request: at most 2 MB (the text of the refusal is not recorded)
        Answer big = call("UpdateItem", base + "\"UpdateExpression\":\"SET x = :v\",\"ExpressionAttributeValues\":"
                + "{\":v\":{\"S\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}}}");
        assertThat(big.type()).isEqualTo("com.amazon.coral.validate#ValidationException");
        assertThat(big.json().path("message").asText()).contains("2 MB");
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

    @Test
    void tablesPassThroughDeletingWithTheSameDelay() throws Exception {
        // [api] DeleteTable: "the specified table is in the DELETING state until DynamoDB completes the deletion ...
        // If a table is in CREATING or UPDATING states, then DynamoDB returns a ResourceInUseException ... If table is
        // already in the DELETING state, no error is returned."
        var clock = new io.cqrsworkers.localaws.emulator.ManualClock(java.time.Instant.parse("2024-01-01T00:00:00Z"));
        try (DynamoDbEmulator slow = DynamoDbEmulator.builder().port(0).clock(clock)
                .tableStatusDelay(java.time.Duration.ofSeconds(5)).build()) {
            slow.start();
            var client = TestSupport.client(slow.endpoint());
            client.createTable(TestSupport.table("gone", null).build());
            // [dynalite] test/deleteTable.js "should eventually delete" (recorded): DeleteTable on a CREATING table
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.deleteTable(r -> r.tableName("gone")))
                    .isInstanceOf(software.amazon.awssdk.services.dynamodb.model.ResourceInUseException.class)
                    .hasMessageStartingWith("Attempt to change a resource which is still in use: Table is being "
                            + "created: gone");
            clock.advance(java.time.Duration.ofSeconds(5));
            var deleted = client.deleteTable(r -> r.tableName("gone")).tableDescription();
            assertThat(deleted.tableStatusAsString()).isEqualTo("DELETING");
            assertThat(client.describeTable(r -> r.tableName("gone")).table().tableStatusAsString())
                    .isEqualTo("DELETING");
            assertThat(client.listTables().tableNames()).contains("gone");
            // again: no error
            assertThat(client.deleteTable(r -> r.tableName("gone")).tableDescription().tableStatusAsString())
                    .isEqualTo("DELETING");
            // [dynalite] db/index.js getTable: item operations on a DELETING table answer ResourceNotFoundException
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.getItem(r -> r.tableName("gone")
                            .key(java.util.Map.of("pk", TestSupport.s("a")))))
                    .isInstanceOf(software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException.class);
            // the name is still taken
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.createTable(TestSupport.table("gone", null)
                            .build()))
                    .isInstanceOf(software.amazon.awssdk.services.dynamodb.model.ResourceInUseException.class);
            clock.advance(java.time.Duration.ofSeconds(5));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.describeTable(r -> r.tableName("gone")))
                    .isInstanceOf(software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException.class)
                    .hasMessageStartingWith("Requested resource not found: Table: gone not found");
            assertThat(client.listTables().tableNames()).doesNotContain("gone");
            client.createTable(TestSupport.table("gone", null).build());
            client.close();
        }
        // the default delay is 0: gone at once
        call("CreateTable", "{\"TableName\":\"conf_gone\",\"AttributeDefinitions\":[{\"AttributeName\":\"pk\","
                + "\"AttributeType\":\"S\"}],\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"}],"
                + "\"BillingMode\":\"PAY_PER_REQUEST\"}");
        assertThat(call("DeleteTable", "{\"TableName\":\"conf_gone\"}").json().path("TableDescription")
                .path("TableStatus").asText()).isEqualTo("DELETING");
        assertThat(call("DescribeTable", "{\"TableName\":\"conf_gone\"}").type())
                .isEqualTo("com.amazonaws.dynamodb.v20120810#ResourceNotFoundException");
    }
}
