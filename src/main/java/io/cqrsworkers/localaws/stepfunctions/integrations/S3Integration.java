package io.cqrsworkers.localaws.stepfunctions.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.core.Json;
import io.cqrsworkers.localaws.stepfunctions.data.StatesError;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.net.URI;
import java.nio.charset.StandardCharsets;

/** {@code s3:getObject} / {@code s3:putObject}, and the S3 client the distributed Map reads and writes with. */
public final class S3Integration implements Integration {
    private final S3Client s3;

    public S3Integration(URI endpoint, String region) {
        this.s3 = S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(64))
                .build();
    }

    public S3Client client() {
        return s3;
    }

    @Override
    public String service() {
        return "s3";
    }

    @Override
    public JsonNode call(String action, JsonNode arguments, Attempt attempt) {
        String bucket = arguments.path("Bucket").asText(null);
        String key = arguments.path("Key").asText(null);
        try {
            switch (action) {
                case "getObject": {
                    ResponseBytes<GetObjectResponse> r = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
                    ObjectNode o = Json.object();
                    o.put("Body", r.asString(StandardCharsets.UTF_8));
                    o.put("ContentLength", r.response().contentLength());
                    o.put("ContentType", r.response().contentType());
                    o.put("ETag", r.response().eTag());
                    if (r.response().lastModified() != null) {
                        o.put("LastModified", r.response().lastModified().toString());
                    }
                    return o;
                }
                case "putObject": {
                    JsonNode body = arguments.path("Body");
                    String text = body.isTextual() ? body.asText() : Json.write(body);
                    PutObjectResponse r = s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(text));
                    return Json.object().put("ETag", r.eTag());
                }
                default:
                    throw new StatesError("States.Runtime", "The resource 'arn:aws:states:::s3:" + action
                            + "' is not available in the local Step Functions engine; s3 supports [getObject, putObject]");
            }
        } catch (S3Exception e) {
            String code = e.awsErrorDetails() == null ? "S3Exception" : e.awsErrorDetails().errorCode();
            throw new StatesError("S3." + (code.endsWith("Exception") ? code : code + "Exception"), e.getMessage());
        }
    }

    @Override
    public void close() {
        s3.close();
    }
}
