package io.cqrsworkers.localaws.stepfunctions.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.core.Json;
import io.cqrsworkers.localaws.stepfunctions.data.StatesError;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;

/**
 * An AWS JSON 1.0 service (SQS, DynamoDB). A Task's arguments already are the API's request members
 * (QueueUrl, TableName, Key in DynamoDB JSON, ...), so they travel as the request body unchanged and the
 * response body is the task result, exactly the shapes AWS's optimized integrations use.
 */
public final class AwsJsonIntegration implements Integration {
    private static final Map<String, Set<String>> ACTIONS = Map.of(
            "sqs", Set.of("sendMessage"),
            "dynamodb", Set.of("getItem", "putItem", "updateItem", "deleteItem"));
    private static final Map<String, String> ERROR_PREFIX = Map.of("sqs", "SQS", "dynamodb", "DynamoDB");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    private final String service;
    private final URI endpoint;
    private final String targetPrefix;
    private final String region;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public AwsJsonIntegration(String service, URI endpoint, String targetPrefix, String region) {
        this.service = service;
        this.endpoint = endpoint;
        this.targetPrefix = targetPrefix;
        this.region = region;
    }

    @Override
    public String service() {
        return service;
    }

    @Override
    public JsonNode call(String action, JsonNode arguments, Attempt attempt) {
        if (!ACTIONS.get(service).contains(action)) {
            throw new StatesError("States.Runtime", "The resource 'arn:aws:states:::" + service + ":" + action
                    + "' is not available in the local Step Functions engine; " + service + " supports " + ACTIONS.get(service));
        }
        JsonNode body = arguments;
        if (service.equals("sqs") && arguments.has("MessageBody") && !arguments.get("MessageBody").isTextual()) {
            ObjectNode copy = arguments.deepCopy();
            copy.put("MessageBody", Json.write(arguments.get("MessageBody")));
            body = copy;
        }
        String op = Character.toUpperCase(action.charAt(0)) + action.substring(1);
        String date = ZonedDateTime.now(ZoneOffset.UTC).format(AMZ_DATE);
        HttpRequest request = HttpRequest.newBuilder(endpoint.resolve("/"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", targetPrefix + "." + op)
                .header("X-Amz-Date", date)
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=local/" + date.substring(0, 8) + "/" + region + "/" + service
                        + "/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new StatesError(ERROR_PREFIX.get(service) + ".SdkClientException", "Unable to execute HTTP request: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StatesError("States.Runtime", "interrupted");
        }
        JsonNode result;
        try {
            result = response.body().isEmpty() ? Json.object() : Json.parse(response.body());
        } catch (IOException e) {
            result = Json.object().put("message", response.body());
        }
        if (response.statusCode() / 100 != 2) {
            String type = result.path("__type").asText("ServiceException");
            String code = type.substring(type.indexOf('#') + 1);
            if (!code.endsWith("Exception")) {
                code = code + "Exception";
            }
            String message = result.has("message") ? result.get("message").asText() : result.path("Message").asText("");
            String requestId = response.headers().firstValue("x-amzn-RequestId").orElse("");
            throw new StatesError(ERROR_PREFIX.get(service) + "." + code, message + " (Service: " + ERROR_PREFIX.get(service)
                    + ", Status Code: " + response.statusCode() + ", Request ID: " + requestId + ")");
        }
        return result;
    }
}
