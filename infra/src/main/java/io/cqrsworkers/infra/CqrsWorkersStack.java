package io.cqrsworkers.infra;

import com.fasterxml.jackson.databind.JsonNode;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.CfnCondition;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnParameter;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.StreamViewType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcAttributes;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.constructs.Construct;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One environment of the service: everything infra/resources.yaml describes, named with the environment prefix, plus
 * the KCL lease tables, the ECS service that runs the image, its scaling, alarms and the notifications API.
 * Environment-agnostic (no account or region, no lookups): synthesizes without an AWS account.
 */
public class CqrsWorkersStack extends Stack {

    /** Import files uploaded through the API are staged here (the service's ImportApiRoutes: csv-imports/...). */
    public static final String IMPORT_STAGING_PREFIX = "csv-imports/";
    /** Distributed Map result files (ResultWriter of import-csv). */
    public static final String SFN_RESULTS_PREFIX = "sfn-results/";
    /** The stable logical id of the task role's policy, for tools that read the template. */
    public static final String TASK_ROLE_POLICY_ID = "TaskRolePolicy";
    public static final int BUSINESS_PORT = 8080;
    public static final int MANAGEMENT_PORT = 9876;
    public static final String READY_PATH = "/observe/health/ready";

    /**
     * KCL applications (= lease tables) of the service's ddb-stream consumers: StreamUris.of(.., application) in
     * TaskStreamRoutes ("workers-tasks"), ImportStreamRoutes ("workers-imports") and CommandStreamRoutes
     * ("workers-" + module + "-command"), each prefixed with app.prefix.
     */
    static List<String> kclApplications(ResourceModel model) {
        List<String> apps = new ArrayList<>(List.of("workers-tasks", "workers-imports"));
        model.modules().forEach(module -> apps.add("workers-" + module + "-command"));
        return apps;
    }

    /** KCL 3.5 looks for these legacy tables (DescribeTable) and keeps their content in the lease table if absent. */
    static final List<String> KCL_LEGACY_TABLE_SUFFIXES = List.of("-CoordinatorState", "-WorkerMetricStats");

    private final Settings settings;
    private final ResourceModel model;
    private final Map<String, Queue> queues = new LinkedHashMap<>();
    private final Map<String, Queue> deadLetterQueues = new LinkedHashMap<>();
    private final Map<String, Table> tables = new LinkedHashMap<>();
    private final Map<String, Table> leaseTables = new LinkedHashMap<>();
    private final Map<String, StateMachine> stateMachines = new LinkedHashMap<>();
    private final Map<String, String> stateMachineSettings = new LinkedHashMap<>();
    private final RetentionDays logRetention;
    private Bucket bucket;

    public CqrsWorkersStack(Construct scope, String id, StackProps props, Settings settings) {
        super(scope, id, props);
        this.settings = settings;
        this.model = ResourceModel.load(settings.repoRoot());
        this.logRetention = retention(settings.logRetentionDays());

        createBucket();
        createQueues();
        createTables();
        createLeaseTables();
        createStateMachines();
        Notifications notifications = new Notifications(this, "Notifications", settings, logRetention);
        WorkerService service = new WorkerService(this, "Service", settings, logRetention, stateMachineSettings,
                notifications);
        grantTaskRole(service.taskRole());
        service.pinTaskRolePolicyId();
        new Scaling(this, "Scaling", settings, service, scalingQueues());
        Alarms alarms = new Alarms(this, "Alarms", settings, service, deadLetterQueues, queues, stateMachines);
        output(this, "AlarmTopicArn", alarms.topic().getTopicArn(), "SNS topic of the alarms");
        output(this, "BucketName", bucket.getBucketName(), "The service's bucket");
    }

    // ---------------------------------------------------------------- bucket, queues, tables

    private void createBucket() {
        Duration keep = Duration.days(settings.importFileRetentionDays());
        bucket = Bucket.Builder.create(this, "Bucket")
                .bucketName(settings.physical(model.bucket()))
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .lifecycleRules(List.of(
                        // CSV files uploaded through POST /api/imports/csv: only needed while the import runs
                        LifecycleRule.builder().id("staged-import-files").prefix(IMPORT_STAGING_PREFIX)
                                .expiration(keep).build(),
                        // the Distributed Map's ResultWriter manifests and results
                        LifecycleRule.builder().id("state-machine-results").prefix(SFN_RESULTS_PREFIX)
                                .expiration(keep).build(),
                        LifecycleRule.builder().id("incomplete-uploads")
                                .abortIncompleteMultipartUploadAfter(Duration.days(7)).build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        Nag.suppress(bucket, "AwsSolutions-S1", "Server access logs need a second bucket per environment; object "
                + "access by the service and the state machines is recorded by CloudTrail (enable S3 data events if "
                + "you need every read)");
    }

    private void createQueues() {
        Duration retention = Duration.seconds(model.queueDefaults().messageRetentionSeconds());
        for (ResourceModel.Queue q : model.queues()) {
            Queue dlq = Queue.Builder.create(this, "Queue-" + q.deadLetterName())
                    .queueName(settings.physical(q.deadLetterName()))
                    .retentionPeriod(retention)
                    .encryption(QueueEncryption.SQS_MANAGED)
                    .enforceSsl(true)
                    .build();
            Queue queue = Queue.Builder.create(this, "Queue-" + q.name())
                    .queueName(settings.physical(q.name()))
                    .visibilityTimeout(Duration.seconds(model.visibilityTimeout(q)))
                    .retentionPeriod(retention)
                    .encryption(QueueEncryption.SQS_MANAGED)
                    .enforceSsl(true)
                    .deadLetterQueue(DeadLetterQueue.builder().queue(dlq).maxReceiveCount(model.maxReceiveCount(q))
                            .build())
                    .build();
            queues.put(q.name(), queue);
            deadLetterQueues.put(q.deadLetterName(), dlq);
        }
    }

    private void createTables() {
        for (ResourceModel.Table t : model.allTables()) {
            Table.Builder table = Table.Builder.create(this, "Table-" + t.name())
                    .tableName(settings.physical(t.name()))
                    .partitionKey(Attribute.builder().name("pk").type(AttributeType.STRING).build())
                    .sortKey(Attribute.builder().name("sk").type(AttributeType.STRING).build())
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .timeToLiveAttribute("ttl")
                    .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                            .pointInTimeRecoveryEnabled(true).build())
                    .removalPolicy(RemovalPolicy.RETAIN);
            if (t.stream() != null) {
                table.stream(StreamViewType.valueOf(t.stream()));
            }
            tables.put(t.name(), table.build());
        }
    }

    /**
     * The lease tables KCL 3 would otherwise create at the first start (which would need dynamodb:CreateTable and
     * UpdateTable): key leaseKey, and the index LeaseOwnerToLeaseKeyIndex KCL 3 adds. KCL 3.5 keeps its coordinator
     * state and worker metrics in the same table (entityType items); the separate CoordinatorState and
     * WorkerMetricStats tables of KCL 3.0-3.4 are only looked for, so they are not created here.
     */
    private void createLeaseTables() {
        for (String app : kclApplications(model)) {
            Table table = Table.Builder.create(this, "Leases-" + app)
                    .tableName(settings.physical(app))
                    .partitionKey(Attribute.builder().name("leaseKey").type(AttributeType.STRING).build())
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                            .pointInTimeRecoveryEnabled(true).build())
                    // only checkpoints: a new table makes the consumers start again at TRIM_HORIZON
                    .removalPolicy(RemovalPolicy.DESTROY)
                    .build();
            table.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
                    .indexName("LeaseOwnerToLeaseKeyIndex")
                    .partitionKey(Attribute.builder().name("leaseOwner").type(AttributeType.STRING).build())
                    .sortKey(Attribute.builder().name("leaseKey").type(AttributeType.STRING).build())
                    .projectionType(ProjectionType.KEYS_ONLY)
                    .build());
            leaseTables.put(app, table);
        }
    }

    // ---------------------------------------------------------------- state machines

    private void createStateMachines() {
        for (ResourceModel.StateMachine m : model.stateMachines()) {
            String physicalName = settings.physical(m.name());
            String source;
            try {
                source = Files.readString(settings.repoRoot().resolve(m.definition()));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + m.definition() + " of state machine " + m.name(), e);
            }
            List<String> referencedQueues = new ArrayList<>();
            AslDefinitions.Resolved resolved = AslDefinitions.resolve(m.definition(), source, (kind, name) -> {
                switch (kind) {
                    case "queueUrl" -> {
                        Queue q = queues.get(name);
                        if (q != null) {
                            referencedQueues.add(name);
                        }
                        return q == null ? null : q.getQueueUrl();
                    }
                    case "table" -> {
                        Table t = tables.get(name);
                        return t == null ? null : t.getTableName();
                    }
                    case "bucket" -> {
                        return model.bucket().equals(name) ? bucket.getBucketName() : null;
                    }
                    default -> {
                        return null;
                    }
                }
            }, settings::config);
            resolved.settings().forEach((key, value) -> {
                String before = stateMachineSettings.putIfAbsent(key, value);
                if (before != null && !before.equals(value)) {
                    throw new IllegalStateException("Setting " + key + " resolves to " + before + " and " + value);
                }
            });

            LogGroup logs = LogGroup.Builder.create(this, "StateMachineLogs-" + m.name())
                    // the /aws/vendedlogs/ prefix keeps CloudWatch Logs' resource policy small
                    .logGroupName("/aws/vendedlogs/states/" + physicalName)
                    .retention(logRetention)
                    .removalPolicy(RemovalPolicy.DESTROY)
                    .build();
            StateMachine machine = StateMachine.Builder.create(this, "StateMachine-" + m.name())
                    .stateMachineName(physicalName)
                    .stateMachineType(StateMachineType.STANDARD)
                    .definitionBody(DefinitionBody.fromString(resolved.json()))
                    .logs(LogOptions.builder().destination(logs).level(LogLevel.ERROR)
                            .includeExecutionData(false).build())
                    .tracingEnabled(true)
                    .build();

            // worker steps: sqs:sendMessage.waitForTaskToken to the machine's worker queue (and any queue it names)
            List<String> sendTo = new ArrayList<>(referencedQueues);
            if (m.workerQueue() != null) {
                sendTo.add(m.workerQueue());
            }
            // sqs:SendMessage only: Step Functions needs no GetQueueUrl/GetQueueAttributes (grantSendMessages adds them)
            sendTo.stream().distinct().forEach(q -> queues.get(q).grant(machine, "sqs:SendMessage"));

            for (JsonNode map : AslDefinitions.mapStates(resolved.tree())) {
                if (AslDefinitions.isDistributed(map)) {
                    grantDistributedMap(machine, physicalName, map);
                }
            }
            Nag.suppress(machine, "AwsSolutions-IAM5", "Logging to CloudWatch Logs (log delivery actions) and X-Ray "
                    + "tracing: AWS accepts only Resource \"*\" for these actions (added by CDK)", "Resource::*");
            Nag.suppress(machine, "AwsSolutions-SF1", "Logs ERROR events (failed states, executions) without "
                    + "execution data: ALL would log every event of every execution (dozens per command, at "
                    + "up to 50 commands/s); the execution history keeps every event for 90 days");
            stateMachines.put(m.name(), machine);
        }
    }

    /**
     * What a Distributed Map needs from its own machine's role: start and watch its child executions, read the items
     * (a CSV in the bucket), write its ResultWriter output. The machine's ARN is built from its name: referring to the
     * machine's own Ref from its role's policy would be a circular dependency.
     */
    private void grantDistributedMap(StateMachine machine, String physicalName, JsonNode map) {
        String self = formatArn(ArnComponents.builder().service("states").resource("stateMachine")
                .resourceName(physicalName).arnFormat(ArnFormat.COLON_RESOURCE_NAME).build());
        String children = formatArn(ArnComponents.builder().service("states").resource("execution")
                .resourceName(physicalName + "/*").arnFormat(ArnFormat.COLON_RESOURCE_NAME).build());
        machine.addToRolePolicy(PolicyStatement.Builder.create().effect(Effect.ALLOW)
                .actions(List.of("states:StartExecution")).resources(List.of(self)).build());
        machine.addToRolePolicy(PolicyStatement.Builder.create().effect(Effect.ALLOW)
                .actions(List.of("states:DescribeExecution", "states:StopExecution")).resources(List.of(children))
                .build());
        if (map.has("ItemReader")) {
            // the CSV named by the execution input ({bucket, key}): the service stages it in this bucket
            machine.addToRolePolicy(PolicyStatement.Builder.create().sid("ReadItems")
                    .actions(List.of("s3:GetObject")).resources(List.of(bucket.arnForObjects("*"))).build());
        }
        JsonNode writer = map.path("ResultWriter").path("Parameters");
        if (!writer.isMissingNode()) {
            String prefix = writer.path("Prefix").asText("");
            String keys = (prefix.isEmpty() ? "" : prefix + "/") + "*";
            // what the ResultWriter needs (multipart uploads of the result files), under its prefix only
            machine.addToRolePolicy(PolicyStatement.Builder.create().sid("WriteResults")
                    .actions(List.of("s3:PutObject", "s3:GetObject", "s3:ListMultipartUploadParts",
                            "s3:AbortMultipartUpload"))
                    .resources(List.of(bucket.arnForObjects(keys))).build());
        }
        Nag.suppress(machine, "AwsSolutions-IAM5", "Distributed Map: child executions are named by Step Functions "
                + "(execution:<machine>/<map run>:<id>), the CSV key is given per execution, the result files are "
                + "named by the ResultWriter under its prefix", "Resource::arn:<AWS::Partition>:states:<AWS::Region>:"
                + "<AWS::AccountId>:execution:" + physicalName + "/*", "Resource::<" + resolveId(bucket) + ".Arn>/*",
                "Resource::<" + resolveId(bucket) + ".Arn>/" + (writer.isMissingNode() ? "*"
                : writer.path("Prefix").asText("") + "/*"));
    }

    // ---------------------------------------------------------------- the service's permissions

    /**
     * Least privilege for what the service calls (derived from src/main/java, see docs/deploy.md "Permissions"):
     * grants on this stack's own resources, and a wildcard only where AWS allows nothing narrower.
     */
    private void grantTaskRole(Role role) {
        // Every action below is one the service was seen calling (io.cqrsworkers.iam.LeastPrivilegeTest records the
        // calls of its pipelines and fails on a denied call and on an allowed action nobody needed). Explicit action
        // lists rather than grantReadWriteData / grantConsumeMessages, which add BatchWriteItem, Scan,
        // ConditionCheckItem, GetRecords on tables and GetQueueAttributes that nothing calls.
        List<String> tableArns = new ArrayList<>();
        tables.values().forEach(t -> tableArns.add(t.getTableArn()));
        List<String> leaseArns = new ArrayList<>();
        leaseTables.values().forEach(t -> leaseArns.add(t.getTableArn()));
        // DynamoDB items of the application tables and KCL's lease tables (leases, leader lock, coordinator state
        // and worker metrics all live in the lease tables); DescribeTable: the stream ARN, KCL's table checks
        List<String> itemTables = new ArrayList<>(tableArns);
        itemTables.addAll(leaseArns);
        role.addToPolicy(PolicyStatement.Builder.create().sid("TableItems")
                .actions(List.of("dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem",
                        "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query"))
                .resources(itemTables).build());
        // the command store reads data records and latest commands of a module in batches (SyncBatch)
        List<String> batchRead = new ArrayList<>();
        model.modules().forEach(module -> List.of("command", "data").forEach(suffix ->
                batchRead.add(tables.get(module + "-" + suffix).getTableArn())));
        role.addToPolicy(PolicyStatement.Builder.create().sid("ModuleBatchReads")
                .actions(List.of("dynamodb:BatchGetItem")).resources(batchRead).build());
        // KCL lists the leases (Scan) and finds its own through the index LeaseOwnerToLeaseKeyIndex (Query)
        role.addToPolicy(PolicyStatement.Builder.create().sid("KclLeaseScan")
                .actions(List.of("dynamodb:Scan")).resources(leaseArns).build());
        List<String> leaseIndexes = new ArrayList<>();
        leaseArns.forEach(arn -> leaseIndexes.add(arn + "/index/*"));
        role.addToPolicy(PolicyStatement.Builder.create().sid("KclLeaseOwnerIndex")
                .actions(List.of("dynamodb:Query")).resources(leaseIndexes).build());
        // the streams' shards are read through KCL
        tables.values().stream().filter(t -> t.getTableStreamArn() != null).forEach(t -> t.grantStream(role,
                "dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"));
        List<String> legacy = new ArrayList<>();
        for (String app : leaseTables.keySet()) {
            for (String suffix : KCL_LEGACY_TABLE_SUFFIXES) {
                legacy.add(formatArn(ArnComponents.builder().service("dynamodb").resource("table")
                        .resourceName(settings.physical(app) + suffix).build()));
            }
        }
        role.addToPolicy(PolicyStatement.Builder.create().sid("KclLegacyTablesLookup")
                .actions(List.of("dynamodb:DescribeTable")).resources(legacy).build());

        // SQS: the service consumes every queue (the stream dead-letter queue in a replay, POST
        // /api/streams/dlq/replay) and import-action-queue-dlq (ImportActionRoutes counts its rows failed); it sends
        // to every queue that is not a worker queue (Step Functions sends those)
        List<String> workerQueues = model.workerQueues();
        List<String> consumed = new ArrayList<>();
        List<String> sent = new ArrayList<>();
        queues.forEach((name, queue) -> {
            consumed.add(queue.getQueueArn());
            if (!workerQueues.contains(name)) {
                sent.add(queue.getQueueArn());
            }
        });
        deadLetterQueues.forEach((name, dlq) -> {
            if (name.equals(IMPORT_ACTION_DLQ)) {
                consumed.add(dlq.getQueueArn());
            }
        });
        role.addToPolicy(PolicyStatement.Builder.create().sid("ConsumeQueues")
                .actions(List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"))
                .resources(consumed).build());
        role.addToPolicy(PolicyStatement.Builder.create().sid("SendToQueues")
                .actions(List.of("sqs:SendMessage", "sqs:GetQueueUrl")).resources(sent).build());
        // the replay counts the letters waiting (ApproximateNumberOfMessages) before it receives any
        role.addToPolicy(PolicyStatement.Builder.create().sid("StreamDeadLetterCount")
                .actions(List.of("sqs:GetQueueAttributes"))
                .resources(List.of(queues.get(streamDeadLetterQueue()).getQueueArn())).build());
        // Camel's aws2-sqs endpoints look their queue URL up with ListQueues (queue name prefix) when they start;
        // ListQueues has no resource-level permissions in IAM
        role.addToPolicy(PolicyStatement.Builder.create().sid("ListQueuesHasNoResourceLevel")
                .actions(List.of("sqs:ListQueues")).resources(List.of("*")).build());

        // S3: GetObject and PutObject: large attributes (ddb/...), staged CSV files (csv-imports/...); nothing is
        // deleted
        role.addToPolicy(PolicyStatement.Builder.create().sid("BucketObjects")
                .actions(List.of("s3:GetObject", "s3:PutObject")).resources(List.of(bucket.arnForObjects("*")))
                .build());
        // s3:ListBucket on the bucket itself: Camel's aws2-s3 endpoints check their bucket with HeadBucket when they
        // start, and without it S3 answers GetObject of a missing key with 403 instead of 404 (NoSuchKey), which an
        // import must report as a missing file
        role.addToPolicy(PolicyStatement.Builder.create().sid("BucketCheck")
                .actions(List.of("s3:ListBucket")).resources(List.of(bucket.getBucketArn())).build());

        // Step Functions: start executions of the stack's machines, describe them (ExecutionWatch, Workflows) and
        // read the history of one that ended abnormally (ExecutionWatch: the last state it entered)
        stateMachines.values().forEach(m -> {
            m.grantStartExecution(role);
            m.grantExecution(role, "states:DescribeExecution", "states:GetExecutionHistory");
        });
        // ListStateMachines (StateMachines.arn looks the ARN up by name) has no resource-level permissions in IAM
        role.addToPolicy(PolicyStatement.Builder.create().sid("ListStateMachinesHasNoResourceLevel")
                .actions(List.of("states:ListStateMachines")).resources(List.of("*")).build());
        // SendTaskSuccess/Failure are authorized on the task token, not on a resource: IAM takes only "*". No
        // SendTaskHeartbeat: no shipped state uses HeartbeatSeconds; a route that calls sfn-task:heartbeat needs it
        role.addToPolicy(PolicyStatement.Builder.create().sid("TaskCallbacksHaveNoResourceLevel")
                .actions(List.of("states:SendTaskSuccess", "states:SendTaskFailure"))
                .resources(List.of("*")).build());
        // no cloudwatch:PutMetricData: KCL runs with a NullMetricsFactory, and the service exposes Prometheus metrics

        Nag.suppress(role, "AwsSolutions-IAM5", "sqs:ListQueues, states:ListStateMachines and SendTask* accept only "
                + "Resource \"*\" in IAM (see the statement ids)", "Resource::*");
        Nag.suppress(role, "AwsSolutions-IAM5", "Objects of the stack's own bucket: keys are per tenant, table and "
                + "upload (ddb/<table>/<pk>/<sk>/<uuid>.json, csv-imports/<tenant>/<uuid>.csv)",
                "Resource::<" + resolveId(bucket) + ".Arn>/*");
        List<Object> indexes = new ArrayList<>();
        leaseTables.values().forEach(t -> indexes.add("Resource::<" + resolveId(t) + ".Arn>/index/*"));
        Nag.suppress(role, "AwsSolutions-IAM5", "Indexes of the stack's own lease tables: KCL queries "
                + "LeaseOwnerToLeaseKeyIndex", indexes.toArray());
        Nag.suppressRegex(role, "AwsSolutions-IAM5", "Executions of the stack's own state machines (grantExecution): "
                + "execution names are made per command, task and import",
                "/^Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:.*:\\*$/");
    }

    /** The logical id CloudFormation will give a resource (for cdk-nag's appliesTo). */
    String resolveId(software.constructs.IConstruct construct) {
        return getLogicalId((software.amazon.awscdk.CfnElement) construct.getNode().getDefaultChild());
    }

    /** The dead-letter queue the service consumes (ImportActionRoutes: import-action-dlq). */
    static final String IMPORT_ACTION_DLQ = "import-action-queue-dlq";

    private String streamDeadLetterQueue() {
        return "stream-dead-letter-queue";
    }

    /** Scaling follows the backlog of the worker queues and the action queues (names ending in -action-queue). */
    private List<Queue> scalingQueues() {
        List<String> workers = model.workerQueues();
        List<Queue> list = new ArrayList<>();
        queues.forEach((name, q) -> {
            if (workers.contains(name) || name.endsWith("-action-queue")) {
                list.add(q);
            }
        });
        return list;
    }

    static RetentionDays retention(int days) {
        for (RetentionDays r : RetentionDays.values()) {
            if (r.name().equals(switch (days) {
                case 1 -> "ONE_DAY";
                case 3 -> "THREE_DAYS";
                case 5 -> "FIVE_DAYS";
                case 7 -> "ONE_WEEK";
                case 14 -> "TWO_WEEKS";
                case 30 -> "ONE_MONTH";
                case 60 -> "TWO_MONTHS";
                case 90 -> "THREE_MONTHS";
                case 180 -> "SIX_MONTHS";
                case 365 -> "ONE_YEAR";
                default -> "";
            })) {
                return r;
            }
        }
        throw new IllegalArgumentException("logRetentionDays must be 1, 3, 5, 7, 14, 30, 60, 90, 180 or 365: " + days);
    }

    public Map<String, Queue> queues() {
        return queues;
    }

    public Map<String, Queue> deadLetterQueues() {
        return deadLetterQueues;
    }

    public Map<String, Table> tables() {
        return tables;
    }

    public Map<String, StateMachine> stateMachines() {
        return stateMachines;
    }

    public ResourceModel model() {
        return model;
    }

    public Settings settings() {
        return settings;
    }

    // the VPC: created, or given as parameters (-c existingVpc=true)
    static IVpc vpc(Construct scope, Settings settings) {
        if (!settings.existingVpc()) {
            Vpc vpc = Vpc.Builder.create(scope, "Vpc")
                    .maxAzs(2)
                    .natGateways(settings.natGateways())
                    .subnetConfiguration(List.of(
                            SubnetConfiguration.builder().name("public").subnetType(SubnetType.PUBLIC).cidrMask(24)
                                    .build(),
                            SubnetConfiguration.builder().name("private").subnetType(SubnetType.PRIVATE_WITH_EGRESS)
                                    .cidrMask(22).build()))
                    .build();
            // rejected traffic only: enough to debug a security group, a fraction of the cost of ALL
            vpc.addFlowLog("RejectedFlows", software.amazon.awscdk.services.ec2.FlowLogOptions.builder()
                    .trafficType(software.amazon.awscdk.services.ec2.FlowLogTrafficType.REJECT)
                    .destination(software.amazon.awscdk.services.ec2.FlowLogDestination.toCloudWatchLogs(
                            LogGroup.Builder.create(scope, "VpcFlowLogs").retention(RetentionDays.ONE_MONTH)
                                    .removalPolicy(RemovalPolicy.DESTROY).build()))
                    .build());
            return vpc;
        }
        CfnParameter vpcId = CfnParameter.Builder.create(scope, "VpcId").type("AWS::EC2::VPC::Id")
                .description("Existing VPC to run the service in").build();
        CfnParameter cidr = CfnParameter.Builder.create(scope, "VpcCidr").type("String")
                .description("CIDR block of that VPC: the only source allowed to reach the service's ports")
                .allowedPattern("^\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}/\\d{1,2}$").build();
        CfnParameter subnets = CfnParameter.Builder.create(scope, "PrivateSubnetIds")
                .type("List<AWS::EC2::Subnet::Id>")
                .description("Private subnets with a route to AWS APIs (NAT or VPC endpoints) for the tasks").build();
        IVpc vpc = Vpc.fromVpcAttributes(scope, "Vpc", VpcAttributes.builder()
                .vpcId(vpcId.getValueAsString())
                .vpcCidrBlock(cidr.getValueAsString())
                .availabilityZones(Fn.getAzs())
                .privateSubnetIds(subnets.getValueAsList())
                .build());
        software.amazon.awscdk.Annotations.of(vpc).acknowledgeWarning("@aws-cdk/aws-ec2:noSubnetRouteTableId",
                "nothing here reads the route tables of the given subnets");
        software.amazon.awscdk.Annotations.of(vpc).acknowledgeWarning(
                "@aws-cdk/aws-ec2:vpcAttributeIsListTokenprivateSubnetIds",
                "the service gets the PrivateSubnetIds parameter as it is (WorkerService)");
        software.amazon.awscdk.Annotations.of(vpc).acknowledgeWarning(
                "@aws-cdk/aws-ec2:vpcAttributeIsListTokenavailabilityZones",
                "nothing here places resources per availability zone");
        return vpc;
    }

    static SecurityGroup serviceSecurityGroup(Construct scope, IVpc vpc) {
        SecurityGroup sg = SecurityGroup.Builder.create(scope, "ServiceSecurityGroup").vpc(vpc)
                .description("cqrs-workers tasks: business and management ports from inside the VPC only")
                .allowAllOutbound(true).build();
        sg.addIngressRule(Peer.ipv4(vpc.getVpcCidrBlock()), Port.tcp(MANAGEMENT_PORT),
                "management (health, metrics) from inside the VPC");
        sg.addIngressRule(Peer.ipv4(vpc.getVpcCidrBlock()), Port.tcp(BUSINESS_PORT),
                "business API from inside the VPC");
        Nag.suppress(sg, "CdkNagValidationFailure", "EC23 cannot evaluate an intrinsic source: the only ingress "
                + "source is the VPC's own CIDR block (no 0.0.0.0/0)");
        return sg;
    }

    static SubnetSelection privateSubnets() {
        return SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build();
    }

    static CfnCondition notEmpty(Construct scope, String id, CfnParameter parameter) {
        return CfnCondition.Builder.create(scope, id)
                .expression(Fn.conditionNot(Fn.conditionEquals(parameter.getValueAsString(), ""))).build();
    }

    /** An output named {@code id} in the template (no construct-path hash), for scripts and docs/deploy.md. */
    static void output(Construct scope, String id, String value, String description) {
        CfnOutput.Builder.create(scope, id).value(value).description(description).build().overrideLogicalId(id);
    }

    static ServicePrincipal principal(String service) {
        return ServicePrincipal.Builder.create(service).build();
    }
}
