package io.cqrsworkers.aws;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.client.builder.SdkClientBuilder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsRequest;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.dynamodb.model.GetShardIteratorResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes one line per AWS call (and per resource it names) of the service's own SDK clients to a file, for the
 * least-privilege test (io.cqrsworkers.iam) that evaluates every call against the deployed task role's policy. Off
 * unless the setting {@value #PROPERTY} names the file (a Camel property, so also {@code -D}); the service's
 * configuration turns it on ({@link #recordTo}) before {@link AwsClients} and the ddb-stream component's KCL clients
 * install it when they are built, and off when its context stops. The embedded services' own clients (the local Step Functions engine's
 * integrations: the state machines' roles in AWS) never get it.
 *
 * <p>A line is {@code service \t operation \t resource \t origin}, tab-separated:
 * <ul>
 *   <li>service: the SDK's service name ({@code Sqs}, {@code DynamoDb}, {@code DynamoDbStreams}, {@code S3},
 *   {@code Sfn}, ...);</li>
 *   <li>operation: the API operation; a TransactWriteItems / TransactGetItems item is a line of its own named
 *   {@code TransactWriteItems.Put|Update|Delete|ConditionCheck} / {@code TransactGetItems.Get};</li>
 *   <li>resource: what an ARN names after {@code <service>:<region>:<account>:} ({@code table/<name>},
 *   {@code table/<name>/index/<index>}, {@code table/<name>/stream/<label>}, the queue name, {@code stateMachine:...},
 *   {@code execution:...}), for S3 {@code <bucket>} or {@code <bucket>/<key>}; {@code *} when the call names none
 *   (ListStateMachines, SendTaskSuccess: a task token); {@code ?} when it names one this class cannot read;</li>
 *   <li>origin: the first class of the service on the calling thread's stack ({@code io.cqrsworkers...}), else the
 *   first library class (KCL, Camel); a class registered with {@link #originWhileOnStack} whenever that is on the
 *   stack (the resources' provisioner, creating the embedded resources: CloudFormation's job in AWS).</li>
 * </ul>
 */
public final class SdkCallRecorder extends SdkCallObserver {

    /** Setting: the file the lines are appended to. */
    public static final String PROPERTY = "cqrs.aws.record-calls";

    private static final Map<Path, SdkCallRecorder> RECORDERS = new ConcurrentHashMap<>();
    private static volatile SdkCallRecorder active;
    private static final StackWalker STACK = StackWalker.getInstance();
    /** Classes that are the origin of every call made while they are on the calling thread's stack. */
    private static final Set<String> STANDING_ORIGINS = ConcurrentHashMap.newKeySet();

    private final Writer out;
    /** Shard iterator -> stream ARN resource: GetRecords names only an iterator, IAM authorizes it on the stream. */
    private final Map<String, String> iterators = new ConcurrentHashMap<>();

    /**
     * Makes {@code type} the origin of every call made while it is anywhere on the calling thread's stack, whoever
     * called it (the provisioner registers itself: what it creates is CloudFormation's job in AWS).
     */
    public static void originWhileOnStack(Class<?> type) {
        STANDING_ORIGINS.add(type.getName());
    }

    private SdkCallRecorder(Path file) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot record AWS calls to " + file, e);
        }
    }

    /** Records the calls of the clients installed from now on to {@code file}; null or blank: records none. */
    public static void recordTo(String file) {
        active = file == null || file.isBlank() ? null
                : RECORDERS.computeIfAbsent(Path.of(file.trim()).toAbsolutePath().normalize(), SdkCallRecorder::new);
    }

    /** The recorder {@link #recordTo} named, if any. */
    public static Optional<SdkCallRecorder> active() {
        return Optional.ofNullable(active);
    }

    /**
     * Adds the active recorder ({@link #recordTo}) to a client builder, if any, keeping the builder's other override
     * settings (call it last, just before build()).
     */
    public static <B extends SdkClientBuilder<B, ?>> B install(B builder) {
        active().ifPresent(recorder -> builder.overrideConfiguration(
                builder.overrideConfiguration().toBuilder().addExecutionInterceptor(recorder).build()));
        return builder;
    }

    @Override
    protected void observe(String service, String operation, SdkRequest request) {
        String origin = origin();
        for (String[] call : calls(operation, request)) {
            write(service + '\t' + call[0] + '\t' + call[1] + '\t' + origin + '\n');
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        SdkRequest request = context.request();
        SdkResponse response = context.response();
        if (request instanceof GetShardIteratorRequest r && response instanceof GetShardIteratorResponse s
                && s.shardIterator() != null) {
            iterators.put(s.shardIterator(), arnResource(r.streamArn()));
        } else if (request instanceof GetRecordsRequest r && response instanceof GetRecordsResponse s) {
            String stream = iterators.remove(r.shardIterator());
            if (stream != null && s.nextShardIterator() != null) {
                iterators.put(s.nextShardIterator(), stream);
            }
        }
    }

    private synchronized void write(String line) {
        try {
            out.write(line);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** (operation, resource) pairs of one call. */
    private List<String[]> calls(String operation, SdkRequest request) {
        List<String[]> calls = new ArrayList<>();
        if (request instanceof TransactWriteItemsRequest r) {
            for (TransactWriteItem item : r.transactItems()) {
                if (item.put() != null) {
                    calls.add(new String[] {operation + ".Put", table(item.put().tableName())});
                } else if (item.update() != null) {
                    calls.add(new String[] {operation + ".Update", table(item.update().tableName())});
                } else if (item.delete() != null) {
                    calls.add(new String[] {operation + ".Delete", table(item.delete().tableName())});
                } else if (item.conditionCheck() != null) {
                    calls.add(new String[] {operation + ".ConditionCheck", table(item.conditionCheck().tableName())});
                }
            }
        } else if (request instanceof TransactGetItemsRequest r) {
            for (TransactGetItem item : r.transactItems()) {
                calls.add(new String[] {operation + ".Get", table(item.get().tableName())});
            }
        } else if (request instanceof BatchGetItemRequest r) {
            r.requestItems().keySet().forEach(t -> calls.add(new String[] {operation, table(t)}));
        } else if (request instanceof BatchWriteItemRequest r) {
            r.requestItems().keySet().forEach(t -> calls.add(new String[] {operation, table(t)}));
        } else if (request instanceof GetRecordsRequest r) {
            calls.add(new String[] {operation, iterators.getOrDefault(r.shardIterator(), "?")});
        } else if (request instanceof CopyObjectRequest r) {
            calls.add(new String[] {operation + ".Source", r.sourceBucket() + "/" + r.sourceKey()});
            calls.add(new String[] {operation, r.destinationBucket() + "/" + r.destinationKey()});
        } else if (request instanceof DeleteObjectsRequest r) {
            for (ObjectIdentifier o : r.delete().objects()) {
                calls.add(new String[] {operation, r.bucket() + "/" + o.key()});
            }
        } else {
            calls.add(new String[] {operation, resource(request)});
        }
        return calls;
    }

    /** The resource a single-resource request names, by the members the AWS APIs use for it. */
    static String resource(SdkRequest request) {
        Optional<String> table = field(request, "TableName");
        if (table.isPresent()) {
            return table(table.get()) + field(request, "IndexName").map(i -> "/index/" + i).orElse("");
        }
        Optional<String> arn = field(request, "StreamArn").or(() -> field(request, "executionArn"))
                .or(() -> field(request, "stateMachineArn")).or(() -> field(request, "ResourceArn"))
                .or(() -> field(request, "resourceArn"));
        if (arn.isPresent()) {
            return arnResource(arn.get());
        }
        Optional<String> queueUrl = field(request, "QueueUrl");
        if (queueUrl.isPresent()) {
            String url = queueUrl.get();
            return url.substring(url.lastIndexOf('/') + 1);
        }
        Optional<String> queueName = field(request, "QueueName");
        if (queueName.isPresent()) {
            return queueName.get();
        }
        Optional<String> bucket = field(request, "Bucket");
        if (bucket.isPresent()) {
            return bucket.get() + field(request, "Key").map(k -> "/" + k).orElse("");
        }
        if (field(request, "taskToken").isPresent() || request.sdkFields().isEmpty()
                || request.getClass().getSimpleName().startsWith("List")) {
            return "*";
        }
        return "?";
    }

    private static Optional<String> field(SdkRequest request, String member) {
        try {
            return request.getValueForField(member, String.class);
        } catch (ClassCastException e) {
            return Optional.empty();
        }
    }

    private static String table(String name) {
        // a table may be named by its ARN too
        return name.startsWith("arn:") ? arnResource(name) : "table/" + name;
    }

    /** What follows {@code arn:<partition>:<service>:<region>:<account>:}. */
    private static String arnResource(String arn) {
        if (arn == null) {
            return "?";
        }
        String[] parts = arn.split(":", 6);
        return parts.length == 6 ? parts[5] : "?";
    }

    private static String origin() {
        return STACK.walk(frames -> {
            String service = null;
            String library = null;
            for (StackWalker.StackFrame frame : (Iterable<StackWalker.StackFrame>) frames::iterator) {
                String type = frame.getClassName();
                if (STANDING_ORIGINS.contains(type)) {
                    return type;
                }
                if (type.startsWith("io.cqrsworkers.")) {
                    // the clients' own wrappers (BatchingSqs) are not who called
                    if (service == null && !type.startsWith(SdkCallObserver.class.getPackageName() + ".")) {
                        service = type;
                    }
                } else if (library == null && !type.startsWith("software.amazon.awssdk.") && !type.startsWith("java.")
                        && !type.startsWith("jdk.") && !type.startsWith("sun.")) {
                    library = type;
                }
            }
            return service != null ? service : library != null ? library : "?";
        });
    }
}
