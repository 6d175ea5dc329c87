package io.cqrsworkers.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.json.Jackson;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.util.UUID;

/**
 * The ZIP import API's steps (route {@code api-import-zip-start}): the request, the archive's first bytes (not a ZIP
 * and an empty archive are answered 400 at once, as the original does), and the ZIP job, written CREATED: its stream
 * record queues it and the import action queue unpacks it ({@link ZipUnpack}), so an accepted archive is unpacked
 * even if the service dies right after answering.
 */
public final class ZipImportApi {

    public static final String BEAN = "zipImportApi";

    private final ZipJobs zipJobs;

    public ZipImportApi(ZipJobs zipJobs) {
        this.zipJobs = zipJobs;
    }

    /** Where an archive sent as the body is staged. */
    public String uploadKey(String tenantCode) {
        return "zip-imports/" + tenantCode + "/" + UUID.randomUUID() + ".zip";
    }

    /** The request of an archive staged at bucket/key (query parameters for the rest). */
    public String uploaded(String bucket, String key, String tableName, String tenantCode, String processingMode) {
        ObjectNode request = Jackson.MAPPER.createObjectNode().put("bucket", bucket).put("key", key)
                .put("tenantCode", tenantCode).put("processingMode", processingMode == null ? "DIRECT"
                        : processingMode);
        if (tableName != null) {
            request.put("tableName", tableName);
        }
        return request.toString();
    }

    public ZipImportRequest request(String body) throws JsonProcessingException {
        return ZipImportRequest.parse(Jackson.MAPPER.readTree(body == null ? "" : body));
    }

    /** Reads the first bytes of the archive (a range GET of 4 bytes) and closes the stream. */
    public void checkArchive(ResponseInputStream<?> first) throws IOException {
        try (first) {
            ZipEntries.checkSignature(first.readNBytes(4));
        }
    }

    /**
     * Why the archive cannot be imported (missing, empty: 0 bytes make S3 refuse the range, another S3 refusal), the
     * route answers it 400; any other failure (S3 unreachable) is thrown as it is.
     */
    public String unreadable(ZipImportRequest request, Exception failure) {
        String object = "s3://" + request.bucket() + "/" + request.key();
        if (failure instanceof NoSuchKeyException) {
            return "The archive " + object + " does not exist";
        }
        if (failure instanceof S3Exception s3 && s3.statusCode() == 416) {
            return "The archive " + object + " is empty (0 bytes): not a ZIP archive";
        }
        if (failure instanceof S3Exception s3 && s3.statusCode() >= 400 && s3.statusCode() < 500) {
            return "The archive " + object + " cannot be read as a ZIP archive: " + s3.getMessage();
        }
        throw new IllegalStateException("The archive " + object + " cannot be read: " + failure.getMessage(),
                failure);
    }

    /** Writes the ZIP job (CREATED) and returns it. */
    public ObjectNode create(ZipImportRequest request) {
        return zipJobs.create(request);
    }
}
