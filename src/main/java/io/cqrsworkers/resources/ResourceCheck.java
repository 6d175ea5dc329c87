package io.cqrsworkers.resources;

import io.cqrsworkers.aws.AwsClients;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sfn.model.StateMachineListItem;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * In the {@code aws} profile the service creates nothing: the deployment (infra/) creates every resource of
 * infra/resources.yaml. This looks for each of them once at start, with the calls the task role allows
 * (GetQueueUrl, DescribeTable, GetObject, ListStateMachines), so that a missing one stops the start with its name
 * instead of failing the first message that needs it. The KCL lease tables are checked by their ddb-stream consumers
 * ({@code requireLeaseTable}).
 */
public final class ResourceCheck {

    /** An object key that is never written: GetObject tells a missing bucket (NoSuchBucket) from a missing key. */
    static final String PROBE_KEY = ".cqrs-workers-start-check";

    private final AwsClients clients;
    private final String prefix;

    public ResourceCheck(AwsClients clients, String prefix) {
        this.clients = clients;
        this.prefix = prefix;
    }

    /** Throws an IllegalStateException naming every missing resource (or the error that kept it from being seen). */
    public void verify(ResourceDescription resources) {
        List<CompletableFuture<String>> checks = new ArrayList<>();
        for (ResourceDescription.Queue queue : resources.queues()) {
            checks.add(CompletableFuture.supplyAsync(() -> queue(physical(queue.name()))));
        }
        for (ResourceDescription.Table table : resources.allTables()) {
            checks.add(CompletableFuture.supplyAsync(() -> table(physical(table.name()), table.stream())));
        }
        checks.add(CompletableFuture.supplyAsync(() -> bucket(physical(resources.bucket()))));
        checks.add(CompletableFuture.supplyAsync(() -> stateMachines(resources.stateMachines().stream()
                .map(m -> physical(m.name())).toList())));
        List<String> problems = checks.stream().map(CompletableFuture::join).filter(p -> p != null)
                .collect(Collectors.toCollection(ArrayList::new));
        if (!problems.isEmpty()) {
            Collections.sort(problems);
            throw new IllegalStateException("AWS resources of " + ResourceDescription.LOCATION + " are missing (the "
                    + "aws profile creates nothing; deploy the stack in infra/, see docs/deploy.md): "
                    + String.join("; ", problems));
        }
    }

    private String physical(String logical) {
        return ResourceDescription.physical(prefix, logical);
    }

    private String queue(String name) {
        try {
            clients.sqs().getQueueUrl(b -> b.queueName(name));
            return null;
        } catch (QueueDoesNotExistException e) {
            return "queue " + name + " does not exist";
        } catch (RuntimeException e) {
            return "queue " + name + " could not be looked up: " + e.getMessage();
        }
    }

    private String table(String name, String stream) {
        try {
            TableDescription table = clients.dynamoDb().describeTable(b -> b.tableName(name)).table();
            if (stream != null && table.latestStreamArn() == null) {
                return "table " + name + " has no stream (" + stream + " expected)";
            }
            return null;
        } catch (ResourceNotFoundException e) {
            return "table " + name + " does not exist";
        } catch (RuntimeException e) {
            return "table " + name + " could not be described: " + e.getMessage();
        }
    }

    private String bucket(String name) {
        try {
            clients.s3().getObject(b -> b.bucket(name).key(PROBE_KEY)).close();
            return null;
        } catch (NoSuchKeyException expected) {
            return null;
        } catch (NoSuchBucketException e) {
            return "bucket " + name + " does not exist";
        } catch (S3Exception e) {
            String code = e.awsErrorDetails() != null ? e.awsErrorDetails().errorCode() : null;
            if ("NoSuchBucket".equals(code)) {
                return "bucket " + name + " does not exist";
            }
            // without s3:ListBucket (the task role has none) a missing key answers 403, a missing bucket still 404
            if (e.statusCode() == 403 || "NoSuchKey".equals(code)) {
                return null;
            }
            return "bucket " + name + " could not be read: " + e.getMessage();
        } catch (java.io.IOException | RuntimeException e) {
            return "bucket " + name + " could not be read: " + e.getMessage();
        }
    }

    private String stateMachines(List<String> names) {
        try {
            Set<String> existing = clients.sfn().listStateMachinesPaginator(b -> b.maxResults(100)).stateMachines()
                    .stream().map(StateMachineListItem::name).collect(Collectors.toSet());
            List<String> missing = names.stream().filter(n -> !existing.contains(n)).toList();
            return missing.isEmpty() ? null : missing.stream().map(n -> "state machine " + n + " does not exist")
                    .collect(Collectors.joining("; "));
        } catch (RuntimeException e) {
            return "state machines could not be listed: " + e.getMessage();
        }
    }
}
