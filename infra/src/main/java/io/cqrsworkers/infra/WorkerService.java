package io.cqrsworkers.infra;

import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnParameter;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ecs.AwsLogDriverMode;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerDefinition;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.ContainerInsights;
import software.amazon.awscdk.services.ecs.CpuArchitecture;
import software.amazon.awscdk.services.ecs.DeploymentCircuitBreaker;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.HealthCheck;
import software.amazon.awscdk.services.ecs.LogDriver;
import software.amazon.awscdk.services.ecs.OperatingSystemFamily;
import software.amazon.awscdk.services.ecs.PortMapping;
import software.amazon.awscdk.services.ecs.RuntimePlatform;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.CfnService;
import software.amazon.awscdk.services.iam.CfnPolicy;
import software.amazon.awscdk.services.iam.Policy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ECS Fargate service running the image: profile aws, the environment prefix, the settings the state machines
 * were built with, health check on the management port, 30 s to stop, JSON logs to CloudWatch Logs, deployment
 * circuit breaker with rollback. Image, CPU and memory are parameters.
 */
public class WorkerService extends Construct {

    private final Cluster cluster;
    private final FargateService service;
    private final Role taskRole;
    private final CfnParameter minTasks;
    private final CfnParameter maxTasks;

    public WorkerService(Construct scope, String id, Settings settings, RetentionDays logRetention,
                         Map<String, String> stateMachineSettings, Notifications notifications) {
        super(scope, id);
        Stack stack = Stack.of(this);
        CfnParameter image = CfnParameter.Builder.create(stack, "ImageUri").type("String")
                .description("Container image of the service (mvn -B -DskipEmbeddedAws package jib:build "
                        + "-Dimage=<this URI>), e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/cqrs-workers:1.0.0")
                .minLength(1).build();
        CfnParameter cpu = CfnParameter.Builder.create(stack, "TaskCpu").type("Number").defaultValue(1024)
                .description("vCPU units of a task (1024 = 1 vCPU)")
                .allowedValues(List.of("256", "512", "1024", "2048", "4096")).build();
        CfnParameter memory = CfnParameter.Builder.create(stack, "TaskMemory").type("Number").defaultValue(2048)
                .description("Memory of a task in MiB; must fit the CPU (Fargate: 512-2048 for 256, 1024-4096 for 512, "
                        + "2048-8192 for 1024, 4096-16384 for 2048, 8192-30720 for 4096)").build();
        minTasks = CfnParameter.Builder.create(stack, "MinTasks").type("Number").defaultValue(1).minValue(1)
                .description("Fewest running tasks (the scaling floor)").build();
        maxTasks = CfnParameter.Builder.create(stack, "MaxTasks").type("Number").defaultValue(4).minValue(1)
                .description("Most running tasks (the scaling ceiling)").build();
        // the business API takes only JWTs of this issuer (the service refuses to start without one)
        CfnParameter jwtIssuer = CfnParameter.Builder.create(stack, "JwtIssuer").type("String").minLength(1)
                .description("OIDC issuer of the business API's tokens, e.g. https://cognito-idp.<region>.amazonaws.com/<user pool id>")
                .build();
        CfnParameter jwtAudience = CfnParameter.Builder.create(stack, "JwtAudience").type("String").minLength(1)
                .description("Audience of the tokens: the app client id (Cognito access tokens carry it as client_id)")
                .build();
        CfnParameter adminTenant = CfnParameter.Builder.create(stack, "AdminTenant").type("String").defaultValue("")
                .description("The tenant-claim value that grants every tenant and the operator endpoints; empty: none")
                .build();

        IVpc vpc = CqrsWorkersStack.vpc(stack, settings);
        SecurityGroup sg = CqrsWorkersStack.serviceSecurityGroup(this, vpc);
        cluster = Cluster.Builder.create(this, "Cluster").vpc(vpc)
                .clusterName(settings.physical("cqrs-workers"))
                .containerInsightsV2(ContainerInsights.ENABLED).build();

        taskRole = Role.Builder.create(this, "TaskRole")
                .assumedBy(CqrsWorkersStack.principal("ecs-tasks.amazonaws.com"))
                .description("cqrs-workers tasks: the queues, tables, bucket and state machines of " + settings.prefix())
                .build();
        FargateTaskDefinition task = FargateTaskDefinition.Builder.create(this, "Task")
                .family(settings.physical("cqrs-workers"))
                .cpu(cpu.getValueAsNumber())
                .memoryLimitMiB(memory.getValueAsNumber())
                .runtimePlatform(RuntimePlatform.builder().cpuArchitecture(CpuArchitecture.X86_64)
                        .operatingSystemFamily(OperatingSystemFamily.LINUX).build())
                .taskRole(taskRole)
                .build();
        // pulling from the account's ECR: the repository is only known from the image URI at deploy time
        task.addToExecutionRolePolicy(PolicyStatement.Builder.create().sid("PullFromThisAccountsEcr")
                .actions(List.of("ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"))
                .resources(List.of("arn:" + Aws.PARTITION + ":ecr:" + Aws.REGION + ":" + Aws.ACCOUNT_ID
                        + ":repository/*")).build());
        task.addToExecutionRolePolicy(PolicyStatement.Builder.create().sid("EcrLoginHasNoResourceLevel")
                .actions(List.of("ecr:GetAuthorizationToken")).resources(List.of("*")).build());

        LogGroup logs = LogGroup.Builder.create(this, "Logs")
                .logGroupName("/ecs/" + settings.physical("cqrs-workers"))
                .retention(logRetention)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();

        Map<String, String> env = new LinkedHashMap<>();
        env.put("CAMEL_MAIN_PROFILE", "aws");
        env.put("NODE_ENV", settings.nodeEnv());
        env.put("APP_NAME", settings.appName());
        env.put("AWS_REGION", Aws.REGION);
        env.put("APP_NOTIFICATIONS_TRANSPORT", "appsync");
        env.put("APP_NOTIFICATIONS_APPSYNC_URL", notifications.api().getGraphqlUrl());
        env.put("APP_SECURITY_ISSUER", jwtIssuer.getValueAsString());
        env.put("APP_SECURITY_AUDIENCE", jwtAudience.getValueAsString());
        env.put("APP_SECURITY_ADMIN_TENANT", adminTenant.getValueAsString());
        // the values the state machines were built with, so the service's own use of them agrees
        stateMachineSettings.forEach((key, value) -> env.put(envName(key), value));

        ContainerDefinition container = task.addContainer("cqrs-workers", ContainerDefinitionOptions.builder()
                .image(ContainerImage.fromRegistry(image.getValueAsString()))
                .essential(true)
                .environment(env)
                .secrets(Map.of("APP_NOTIFICATIONS_APPSYNC_API_KEY",
                        software.amazon.awscdk.services.ecs.Secret.fromSecretsManager(notifications.apiKey())))
                .portMappings(List.of(
                        PortMapping.builder().containerPort(CqrsWorkersStack.BUSINESS_PORT).name("business").build(),
                        PortMapping.builder().containerPort(CqrsWorkersStack.MANAGEMENT_PORT).name("management")
                                .build()))
                // the image has bash but maybe no curl: ask /observe/health/ready over bash's /dev/tcp
                .healthCheck(HealthCheck.builder()
                        .command(List.of("CMD", "bash", "-c", readinessProbe()))
                        .interval(Duration.seconds(15))
                        .timeout(Duration.seconds(5))
                        .retries(3)
                        // KCL's first start of a new application waits up to 30 s before the first shard sync
                        .startPeriod(Duration.seconds(90))
                        .build())
                .stopTimeout(Duration.seconds(30))
                .logging(LogDriver.awsLogs(AwsLogDriverProps.builder().logGroup(logs).streamPrefix("service")
                        .mode(AwsLogDriverMode.NON_BLOCKING).build()))
                .build());

        service = FargateService.Builder.create(this, "Service")
                .serviceName(settings.physical("cqrs-workers"))
                .cluster(cluster)
                .taskDefinition(task)
                .securityGroups(List.of(sg))
                .vpcSubnets(CqrsWorkersStack.privateSubnets())
                .assignPublicIp(false)
                .minHealthyPercent(100)
                .maxHealthyPercent(200)
                .circuitBreaker(DeploymentCircuitBreaker.builder().enable(true).rollback(true).build())
                .build();
        if (settings.existingVpc()) {
            // the subnets are a list parameter: give it to the service as it is
            ((CfnService) service.getNode().getDefaultChild()).addPropertyOverride(
                    "NetworkConfiguration.AwsvpcConfiguration.Subnets",
                    Map.of("Ref", "PrivateSubnetIds"));
        }

        Nag.suppress(task, "AwsSolutions-ECS2", "The variables are not secrets (profile, environment prefix, region, "
                + "API URL, state machine settings); the API key comes from Secrets Manager");
        Nag.suppress(task, "AwsSolutions-IAM5", "Execution role: ecr:GetAuthorizationToken accepts only Resource "
                + "\"*\"; the image's repository is known only from the ImageUri parameter at deploy time, so pulls "
                + "are allowed from this account's repositories in this region", "Resource::*",
                "Resource::arn:<AWS::Partition>:ecr:<AWS::Region>:<AWS::AccountId>:repository/*");
        CqrsWorkersStack.output(this, "ClusterName", cluster.getClusterName(), "ECS cluster");
        CqrsWorkersStack.output(this, "ServiceName", service.getServiceName(), "ECS service");
        CqrsWorkersStack.output(this, "TaskRoleArn", taskRole.getRoleArn(), "Task role of the service");
        CqrsWorkersStack.output(this, "LogGroup", logs.getLogGroupName(), "The service's logs");
    }

    /** HTTP/1.0 GET of the readiness path over /dev/tcp; healthy when the status line says 200. */
    static String readinessProbe() {
        return "exec 3<>/dev/tcp/127.0.0.1/" + CqrsWorkersStack.MANAGEMENT_PORT
                + " && printf 'GET " + CqrsWorkersStack.READY_PATH + " HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3"
                + " && head -n 1 <&3 | grep -q ' 200 '";
    }

    /** app.task.max-concurrency -> APP_TASK_MAX_CONCURRENCY, the variable Camel maps to that key. */
    static String envName(String key) {
        return key.toUpperCase().replace('.', '_').replace('-', '_');
    }

    /** Called once every grant is made: fixes the logical id of the role's policy. */
    public void pinTaskRolePolicyId() {
        var policy = taskRole.getNode().tryFindChild("DefaultPolicy");
        if (policy != null) {
            ((CfnPolicy) ((Policy) policy).getNode().getDefaultChild())
                    .overrideLogicalId(CqrsWorkersStack.TASK_ROLE_POLICY_ID);
        }
    }

    public Cluster cluster() {
        return cluster;
    }

    public FargateService service() {
        return service;
    }

    public Role taskRole() {
        return taskRole;
    }

    public CfnParameter minTasks() {
        return minTasks;
    }

    public CfnParameter maxTasks() {
        return maxTasks;
    }
}
