package io.cqrsworkers.iam;

import io.cqrsworkers.aws.SdkCallRecorder;
import io.cqrsworkers.resources.Provisioner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One line of {@link SdkCallRecorder}'s file, and the IAM request(s) AWS authorizes for it: the action (a batch is
 * authorized as its single action, each TransactWriteItems item as its own action on its table, an S3 operation as
 * the action the S3 documentation names) and the resource ARN, built with {@link TaskRolePolicy}'s partition, region
 * and account, names moved from the service's prefix to the stack's.
 */
record RecordedCall(String service, String operation, String resource, String origin) {

    record IamRequest(String action, String arn) {
    }

    static List<RecordedCall> read(Path file) {
        try {
            List<RecordedCall> calls = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                String[] f = line.split("\t", -1);
                if (f.length == 4) {
                    calls.add(new RecordedCall(f[0], f[1], f[2], f[3]));
                }
            }
            return calls;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean provisioning() {
        return origin.equals(Provisioner.class.getName());
    }

    private static final Map<String, String> SQS = Map.of(
            "SendMessageBatch", "SendMessage",
            "DeleteMessageBatch", "DeleteMessage",
            "ChangeMessageVisibilityBatch", "ChangeMessageVisibility");

    private static final Map<String, String> DYNAMODB = Map.of(
            "TransactWriteItems.Put", "PutItem",
            "TransactWriteItems.Update", "UpdateItem",
            "TransactWriteItems.Delete", "DeleteItem",
            "TransactWriteItems.ConditionCheck", "ConditionCheckItem",
            "TransactGetItems.Get", "GetItem");

    private static final Map<String, String> S3 = Map.ofEntries(
            Map.entry("HeadObject", "GetObject"),
            Map.entry("CopyObject.Source", "GetObject"),
            Map.entry("CopyObject", "PutObject"),
            Map.entry("CreateMultipartUpload", "PutObject"),
            Map.entry("UploadPart", "PutObject"),
            Map.entry("UploadPartCopy", "PutObject"),
            Map.entry("CompleteMultipartUpload", "PutObject"),
            Map.entry("ListParts", "ListMultipartUploadParts"),
            Map.entry("ListObjects", "ListBucket"),
            Map.entry("ListObjectsV2", "ListBucket"),
            Map.entry("HeadBucket", "ListBucket"),
            Map.entry("DeleteObjects", "DeleteObject"));

    /**
     * @param servicePrefix the running service's app.prefix
     * @param stackPrefix   the prefix the stack was synthesized with
     */
    IamRequest iam(String servicePrefix, String stackPrefix) {
        if (resource.equals("?")) {
            throw new AssertionError("the recorder could not tell the resource of " + this);
        }
        String r = resource.equals("*") ? "*"
                : resource.replaceAll("(^|[/:])" + java.util.regex.Pattern.quote(servicePrefix),
                "$1" + java.util.regex.Matcher.quoteReplacement(stackPrefix));
        return switch (service) {
            case "Sqs" -> new IamRequest("sqs:" + SQS.getOrDefault(operation, operation),
                    r.equals("*") ? "*" : TaskRolePolicy.arn("sqs", r));
            case "DynamoDb", "DynamoDbStreams" -> new IamRequest("dynamodb:" + DYNAMODB.getOrDefault(operation,
                    operation), r.equals("*") ? "*" : TaskRolePolicy.arn("dynamodb", r));
            case "S3" -> new IamRequest("s3:" + S3.getOrDefault(operation, operation),
                    "arn:" + TaskRolePolicy.PARTITION + ":s3:::" + r);
            case "Sfn" -> new IamRequest("states:" + operation, r.equals("*") ? "*" : TaskRolePolicy.arn("states", r));
            case "CloudWatch" -> new IamRequest("cloudwatch:" + operation, "*");
            default -> throw new AssertionError("no IAM mapping for the service of " + this);
        };
    }
}
