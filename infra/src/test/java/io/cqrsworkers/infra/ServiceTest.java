package io.cqrsworkers.infra;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.cqrsworkers.infra.Synth.prefix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ECS service, its network, scaling, alarms, notifications API, and cdk-nag. */
class ServiceTest {

    private final Synth synth = Synth.standard();
    private final ResourceModel model = Synth.model();

    private JsonNode container() {
        return synth.resources("AWS::ECS::TaskDefinition").values().iterator().next().path("Properties")
                .path("ContainerDefinitions").get(0);
    }

    private String env(String name) {
        for (JsonNode e : container().path("Environment")) {
            if (name.equals(e.path("Name").asText())) {
                return e.path("Value").isTextual() ? e.path("Value").asText() : e.path("Value").toString();
            }
        }
        return null;
    }

    @Test
    void theTaskRunsTheImageParameterWithProfileAwsThePrefixAHealthCheckAndJsonLogs() {
        JsonNode task = synth.resources("AWS::ECS::TaskDefinition").values().iterator().next().path("Properties");
        assertEquals("{\"Ref\":\"TaskCpu\"}", task.path("Cpu").toString());
        assertEquals("{\"Ref\":\"TaskMemory\"}", task.path("Memory").toString());
        assertEquals("[\"FARGATE\"]", task.path("RequiresCompatibilities").toString());
        JsonNode c = container();
        assertEquals("{\"Ref\":\"ImageUri\"}", c.path("Image").toString());
        assertEquals("aws", env("CAMEL_MAIN_PROFILE"));
        assertEquals("dev", env("NODE_ENV"));
        assertEquals("cqrs", env("APP_NAME"));
        assertEquals("{\"Ref\":\"JwtIssuer\"}", env("APP_SECURITY_ISSUER"));
        assertEquals("{\"Ref\":\"JwtAudience\"}", env("APP_SECURITY_AUDIENCE"));
        assertEquals("{\"Ref\":\"AdminTenant\"}", env("APP_SECURITY_ADMIN_TENANT"));
        assertEquals(30, c.path("StopTimeout").asInt());
        String check = c.path("HealthCheck").path("Command").toString();
        assertTrue(check.startsWith("[\"CMD\",\"bash\",\"-c\","), check);
        assertTrue(check.contains("/dev/tcp/127.0.0.1/9876") && check.contains("GET /observe/health/ready"), check);
        assertEquals("awslogs", c.path("LogConfiguration").path("LogDriver").asText());
        String logGroup = c.path("LogConfiguration").path("Options").path("awslogs-group").path("Ref").asText();
        assertEquals("/ecs/" + prefix() + "cqrs-workers", synth.json.path("Resources").path(logGroup)
                .path("Properties").path("LogGroupName").asText());
        List<Integer> ports = new ArrayList<>();
        c.path("PortMappings").forEach(p -> ports.add(p.path("ContainerPort").asInt()));
        assertEquals(List.of(8080, 9876), ports);
    }

    @Test
    void theReadinessProbeSpeaksHttp() {
        // what bash runs: a request line for the ready path, the answer's status line must say 200
        String probe = WorkerService.readinessProbe();
        assertTrue(probe.contains("printf 'GET /observe/health/ready HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n'"),
                probe);
        assertTrue(probe.endsWith("head -n 1 <&3 | grep -q ' 200 '"), probe);
    }

    @Test
    void deploymentsRollBackAndTasksStayPrivate() {
        JsonNode service = synth.resources("AWS::ECS::Service").values().iterator().next().path("Properties");
        JsonNode breaker = service.path("DeploymentConfiguration").path("DeploymentCircuitBreaker");
        assertTrue(breaker.path("Enable").asBoolean() && breaker.path("Rollback").asBoolean(), breaker.toString());
        assertEquals("DISABLED", service.path("NetworkConfiguration").path("AwsvpcConfiguration")
                .path("AssignPublicIp").asText());
        assertEquals("FARGATE", service.path("LaunchType").asText());
        // management (and business) port: only from the VPC's CIDR
        JsonNode sg = synth.resources("AWS::EC2::SecurityGroup").values().iterator().next().path("Properties");
        for (JsonNode rule : sg.path("SecurityGroupIngress")) {
            assertEquals("{\"Fn::GetAtt\":[\"Vpc8378EB38\",\"CidrBlock\"]}", rule.path("CidrIp").toString());
        }
        assertTrue(sg.path("SecurityGroupIngress").toString().contains("\"FromPort\":9876"));
        assertFalse(synth.json.toString().contains("0.0.0.0/0\",\"Description\":\"management"));
    }

    @Test
    void anExistingVpcIsGivenAsParameters() {
        Synth existing = Synth.of(Map.of("existingVpc", "true"));
        JsonNode params = existing.json.path("Parameters");
        assertEquals("AWS::EC2::VPC::Id", params.path("VpcId").path("Type").asText());
        assertEquals("List<AWS::EC2::Subnet::Id>", params.path("PrivateSubnetIds").path("Type").asText());
        assertTrue(existing.resources("AWS::EC2::VPC").isEmpty());
        JsonNode service = existing.resources("AWS::ECS::Service").values().iterator().next().path("Properties");
        assertEquals("{\"Ref\":\"PrivateSubnetIds\"}", service.path("NetworkConfiguration")
                .path("AwsvpcConfiguration").path("Subnets").toString());
        JsonNode sg = existing.resources("AWS::EC2::SecurityGroup").values().iterator().next().path("Properties");
        assertEquals("{\"Ref\":\"VpcCidr\"}", sg.path("SecurityGroupIngress").get(0).path("CidrIp").toString());
    }

    @Test
    void scalingFollowsTheBacklogPerTaskAndTheCpuBetweenTheParameters() {
        JsonNode target = synth.resources("AWS::ApplicationAutoScaling::ScalableTarget").values().iterator().next()
                .path("Properties");
        assertEquals("{\"Ref\":\"MinTasks\"}", target.path("MinCapacity").toString());
        assertEquals("{\"Ref\":\"MaxTasks\"}", target.path("MaxCapacity").toString());
        JsonNode backlog = null;
        JsonNode cpu = null;
        for (JsonNode policy : synth.resources("AWS::ApplicationAutoScaling::ScalingPolicy").values()) {
            JsonNode config = policy.path("Properties").path("TargetTrackingScalingPolicyConfiguration");
            if (config.has("CustomizedMetricSpecification")) {
                backlog = config;
            } else {
                cpu = config;
            }
        }
        assertEquals("ECSServiceAverageCPUUtilization", cpu.path("PredefinedMetricSpecification")
                .path("PredefinedMetricType").asText());
        assertEquals("{\"Ref\":\"BacklogPerTaskTarget\"}", backlog.path("TargetValue").toString());
        List<String> queues = new ArrayList<>();
        String expression = null;
        for (JsonNode m : backlog.path("CustomizedMetricSpecification").path("Metrics")) {
            JsonNode metric = m.path("MetricStat").path("Metric");
            if ("AWS/SQS".equals(metric.path("Namespace").asText())) {
                String id = metric.path("Dimensions").get(0).path("Value").path("Fn::GetAtt").get(0).asText();
                queues.add(synth.json.path("Resources").path(id).path("Properties").path("QueueName").asText());
            }
            if (m.path("ReturnData").asBoolean()) {
                expression = m.path("Expression").asText();
            }
        }
        List<String> expected = new ArrayList<>();
        model.queues().forEach(q -> {
            if (model.workerQueues().contains(q.name()) || q.name().endsWith("-action-queue")) {
                expected.add(prefix() + q.name());
            }
        });
        assertEquals(expected, queues);
        assertTrue(queues.contains(prefix() + "task-action-queue") && queues.contains(prefix() + "command-worker-queue"));
        assertTrue(expression.endsWith("/IF(FILL(tasks,0)>0,FILL(tasks,0),1)"), expression);
    }

    @Test
    void alarmsCoverDeadLettersAlarmsExecutionsAndTheServiceAndGoToTheTopic() {
        Map<String, JsonNode> alarms = synth.resources("AWS::CloudWatch::Alarm");
        String topic = synth.resources("AWS::SNS::Topic").keySet().iterator().next();
        List<String> names = new ArrayList<>();
        alarms.values().forEach(a -> {
            names.add(a.path("Properties").path("AlarmName").asText());
            assertEquals("[{\"Ref\":\"" + topic + "\"}]", a.path("Properties").path("AlarmActions").toString());
        });
        for (ResourceModel.Queue q : model.queues()) {
            assertTrue(names.contains(prefix() + q.deadLetterName() + " has messages"), q.deadLetterName());
        }
        assertTrue(names.contains(prefix() + "stream-dead-letter-queue has messages"));
        assertTrue(names.contains(prefix() + "alarm-queue received alarms"));
        for (ResourceModel.StateMachine m : model.stateMachines()) {
            assertTrue(names.contains(prefix() + m.name() + " executions failed"), m.name());
        }
        assertTrue(names.contains(prefix() + "cqrs-workers runs fewer tasks than desired"));
        assertEquals(model.queues().size() + 2 + model.stateMachines().size() + 1, alarms.size(), names.toString());
        String failed = alarms.values().stream().filter(a -> a.path("Properties").path("AlarmName").asText()
                .endsWith("command-handler executions failed")).findFirst().orElseThrow().toString();
        for (String metric : List.of("ExecutionsFailed", "ExecutionsTimedOut", "ExecutionsAborted")) {
            assertTrue(failed.contains(metric), metric);
        }
        JsonNode subscription = synth.resources("AWS::SNS::Subscription").values().iterator().next();
        assertEquals("HasAlarmEmail", subscription.path("Condition").asText().replaceAll("[0-9A-F]{8}$", "")
                .replace("Alarms", ""));
    }

    @Test
    void notificationsGoToAnAppSyncApiWithTheOriginalsMutation() {
        JsonNode schema = synth.resources("AWS::AppSync::GraphQLSchema").values().iterator().next();
        String definition = schema.path("Properties").path("Definition").asText();
        assertTrue(definition.contains("sendMessage(message: AWSJSON!): Message"), definition);
        assertTrue(definition.contains("@aws_subscribe(mutations: [\"sendMessage\"])"), definition);
        JsonNode resolver = synth.resources("AWS::AppSync::Resolver").values().iterator().next().path("Properties");
        assertEquals("Mutation", resolver.path("TypeName").asText());
        assertEquals("sendMessage", resolver.path("FieldName").asText());
        assertEquals("API_KEY", synth.resources("AWS::AppSync::GraphQLApi").values().iterator().next()
                .path("Properties").path("AuthenticationType").asText());
        assertTrue(env("APP_NOTIFICATIONS_APPSYNC_URL").contains("GraphQLUrl"));
        assertEquals("appsync", env("APP_NOTIFICATIONS_TRANSPORT"));
        assertEquals("APP_NOTIFICATIONS_APPSYNC_API_KEY", container().path("Secrets").get(0).path("Name").asText());
        // the key is not in the task definition's environment
        assertFalse(container().path("Environment").toString().contains("ApiKey"));
    }

    @Test
    void cdkNagAwsSolutionsLeavesNoUnsuppressedFinding() {
        for (Synth s : List.of(synth, Synth.of(Map.of("existingVpc", "true")))) {
            Annotations annotations = Annotations.fromStack(s.stack);
            assertEquals(List.of(), annotations.findError("*", Match.anyValue()));
            assertEquals(List.of(), annotations.findWarning("*", Match.anyValue()));
        }
    }
}
