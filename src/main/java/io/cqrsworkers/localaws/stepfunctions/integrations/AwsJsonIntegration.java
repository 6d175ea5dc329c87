package io.cqrsworkers.localaws.stepfunctions.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.embedded.InProcessEndpoints;
import io.cqrsworkers.localaws.stepfunctions.core.Json;
import io.cqrsworkers.localaws.stepfunctions.data.StatesError;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;

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
    /** Built on the first call over HTTP: a JDK client keeps a selector thread, idle when the service is in-process. */
    private volatile HttpClient http;

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
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("Content-Type", "application/x-amz-json-1.0");
        headers.put("X-Amz-Target", targetPrefix + "." + op);
        headers.put("X-Amz-Date", date);
        headers.put("Authorization", "AWS4-HMAC-SHA256 Credential=local/" + date.substring(0, 8) + "/" + region + "/"
                + service + "/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0");
        Reply response;
        try {
            InProcessEndpoints.Handler inProcess = InProcessEndpoints.find(endpoint);
            response = inProcess != null ? callInProcess(inProcess, headers, Json.write(body))
                    : callOverHttp(headers, Json.write(body));
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
            String requestId = response.requestId();
            throw new StatesError(ERROR_PREFIX.get(service) + "." + code, message + " (Service: " + ERROR_PREFIX.get(service)
                    + ", Status Code: " + response.statusCode() + ", Request ID: " + requestId + ")");
        }
        return result;
    }

    /** What the service answered: status, the body as text, its request id. */
    private record Reply(int statusCode, String body, String requestId) {
    }

    /** The service runs in this JVM and answers without a socket ({@link InProcessEndpoints}); headers without case. */
    private static Reply callInProcess(InProcessEndpoints.Handler handler, Map<String, String> headers, String body)
            throws IOException, InterruptedException {
        InProcessEndpoints.Answer answer;
        try {
            answer = handler.call("POST", headers::get, body.getBytes(StandardCharsets.UTF_8)).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
        String requestId = "";
        for (int i = 0; i + 1 < answer.headers().size(); i += 2) {
            if (answer.headers().get(i).equalsIgnoreCase("x-amzn-RequestId")) {
                requestId = answer.headers().get(i + 1);
            }
        }
        return new Reply(answer.status(), new String(answer.body(), StandardCharsets.UTF_8), requestId);
    }

    private HttpClient http() {
        HttpClient client = http;
        if (client == null) {
            synchronized (this) {
                if (http == null) {
                    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofSeconds(5)).build();
                }
                client = http;
            }
        }
        return client;
    }

    private Reply callOverHttp(Map<String, String> headers, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve("/"))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        HttpResponse<String> response = http().send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.body(),
                response.headers().firstValue("x-amzn-RequestId").orElse(""));
    }
}
