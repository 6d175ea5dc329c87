package io.cqrsworkers.localaws.stepfunctions.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.core.Json;
import io.cqrsworkers.localaws.stepfunctions.data.StatesError;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The ResultWriter of a distributed Map, in AWS's layout: {@code <Prefix>/<map run id>/SUCCEEDED_0.json},
 * {@code FAILED_0.json}, {@code PENDING_0.json} (arrays of child execution results) and {@code manifest.json}.
 */
public final class S3ResultWriter {
    private S3ResultWriter() {
    }

    /** Writes the files and returns the manifest's key. */
    public static String write(S3Client s3, String bucket, String prefix, String mapRunArn, String runId,
                               List<ObjectNode> succeeded, List<ObjectNode> failed) {
        String base = (prefix == null || prefix.isEmpty() ? "" : prefix.endsWith("/") ? prefix : prefix + "/") + runId + "/";
        try {
            ObjectNode manifest = Json.object();
            manifest.put("DestinationBucket", bucket);
            manifest.put("MapRunArn", mapRunArn);
            ObjectNode files = manifest.putObject("ResultFiles");
            files.set("FAILED", put(s3, bucket, base + "FAILED_0.json", failed));
            files.putArray("PENDING");
            files.set("SUCCEEDED", put(s3, bucket, base + "SUCCEEDED_0.json", succeeded));
            String key = base + "manifest.json";
            s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/json"), RequestBody.fromString(Json.write(manifest)));
            return key;
        } catch (SdkException e) {
            throw new StatesError("States.ResultWriterFailed", "Could not write the results to S3 bucket '" + bucket + "': " + e.getMessage());
        }
    }

    private static JsonNode put(S3Client s3, String bucket, String key, List<ObjectNode> results) {
        ArrayNode list = Json.NODES.arrayNode();
        if (results.isEmpty()) {
            return list;
        }
        ArrayNode body = Json.NODES.arrayNode();
        results.forEach(body::add);
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/json"), RequestBody.fromBytes(bytes));
        list.addObject().put("Key", key).put("Size", bytes.length);
        return list;
    }
}
