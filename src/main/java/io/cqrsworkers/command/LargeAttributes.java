package io.cqrsworkers.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.json.Jackson;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Attributes larger than the limit live in S3 and the record keeps {@code s3://bucket/key}, so no item nears
 * DynamoDB's 400 KB and no step input nears Step Functions' 256 KiB.
 */
public final class LargeAttributes {

    /** The registry name of the bean. */
    public static final String BEAN = "largeAttributes";

    private static final ObjectMapper JSON = Jackson.MAPPER;
    private static final String SCHEME = "s3://";

    private final S3Client s3;
    private final String bucket;
    private final int limitBytes;

    public LargeAttributes(S3Client s3, String bucket, int limitBytes) {
        this.s3 = s3;
        this.bucket = bucket;
        this.limitBytes = limitBytes;
    }

    /** The attributes themselves, or a pointer to where they were stored. */
    public JsonNode store(String table, String pk, String sk, JsonNode attributes) {
        if (attributes == null || attributes.isNull()) {
            return attributes;
        }
        byte[] bytes = attributes.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= limitBytes) {
            return attributes;
        }
        String key = "ddb/" + table + "/" + pk + "/" + sk + "/" + UUID.randomUUID() + ".json";
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/json"), RequestBody.fromBytes(bytes));
        return JSON.getNodeFactory().textNode(SCHEME + bucket + "/" + key);
    }

    /** Attributes with a pointer followed. */
    public JsonNode resolve(JsonNode attributes) {
        if (attributes == null || !attributes.isTextual() || !attributes.textValue().startsWith(SCHEME)) {
            return attributes;
        }
        String location = attributes.textValue().substring(SCHEME.length());
        int slash = location.indexOf('/');
        String objectBucket = location.substring(0, slash);
        String key = location.substring(slash + 1);
        try {
            return JSON.readTree(s3.getObjectAsBytes(b -> b.bucket(objectBucket).key(key)).asByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("Attributes at " + attributes.textValue() + " are not JSON", e);
        }
    }
}
