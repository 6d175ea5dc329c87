package io.cqrsworkers.infra;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.cqrsworkers.infra.Synth.prefix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service's task role, read from the template by its stable logical id (TaskRolePolicy): what the service calls
 * is allowed on the stack's own resources, "*" only for actions IAM has no resource for, nothing to create or delete
 * resources.
 */
class TaskRoleTest {

    private final Synth synth = Synth.standard();

    private List<JsonNode> statements() {
        JsonNode policy = synth.json.path("Resources").path(CqrsWorkersStack.TASK_ROLE_POLICY_ID);
        assertEquals("AWS::IAM::Policy", policy.path("Type").asText());
        String role = policy.path("Properties").path("Roles").get(0).path("Ref").asText();
        assertTrue(synth.json.path("Resources").path(role).toString().contains("ecs-tasks.amazonaws.com"));
        List<JsonNode> list = new ArrayList<>();
        policy.path("Properties").path("PolicyDocument").path("Statement").forEach(list::add);
        return list;
    }

    private static List<String> actions(JsonNode statement) {
        List<String> list = new ArrayList<>();
        JsonNode a = statement.path("Action");
        if (a.isTextual()) {
            list.add(a.asText());
        } else {
            a.forEach(x -> list.add(x.asText()));
        }
        return list;
    }

    /** Whether some Allow statement has the action on a resource whose JSON contains {@code resource}. */
    private boolean allows(String action, String resource) {
        for (JsonNode s : statements()) {
            if ("Allow".equals(s.path("Effect").asText()) && actions(s).contains(action)
                    && s.path("Resource").toString().contains(resource)) {
                return true;
            }
        }
        return false;
    }

    private String arnOf(String type, String name) {
        String property = switch (type) {
            case "AWS::SQS::Queue" -> "QueueName";
            case "AWS::DynamoDB::Table" -> "TableName";
            default -> throw new IllegalArgumentException(type);
        };
        return "{\"Fn::GetAtt\":[\"" + synth.logicalIdOf(type, property, prefix() + name) + "\",\"Arn\"]}";
    }

    @Test
    void wildcardsOnlyWhereIamHasNoResource() {
        Set<String> starOnly = Set.of("states:ListStateMachines", "states:SendTaskSuccess", "states:SendTaskFailure",
                "sqs:ListQueues");
        for (JsonNode s : statements()) {
            for (String action : actions(s)) {
                assertFalse(action.endsWith("*") && !action.startsWith("s3:"), "wildcard action " + action);
                assertFalse(action.matches("dynamodb:(Create|Delete|Update)Table|sqs:(Create|Delete)Queue|"
                        + "s3:(Create|Delete)Bucket|states:(Create|Update|Delete)StateMachine|s3:DeleteObject"),
                        "no resource management: " + action);
            }
            if ("\"*\"".equals(s.path("Resource").toString())) {
                assertTrue(starOnly.containsAll(actions(s)), "only these on *: " + s);
            }
        }
        assertFalse(statements().toString().contains("cloudwatch:PutMetricData"), "KCL publishes no metrics");
        // nothing the service does not call (io.cqrsworkers.iam.LeastPrivilegeTest proves the rest)
        for (String unused : List.of("dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem",
                "states:SendTaskHeartbeat", "s3:DeleteObject")) {
            assertFalse(statements().toString().contains("\"" + unused + "\""), unused);
        }
    }

    @Test
    void theServiceMayUseItsTablesStreamsAndKclLeases() {
        ResourceModel model = Synth.model();
        for (ResourceModel.Table t : model.allTables()) {
            for (String action : List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
                    "dynamodb:DeleteItem", "dynamodb:Query", "dynamodb:DescribeTable")) {
                assertTrue(allows(action, arnOf("AWS::DynamoDB::Table", t.name())), action + " on " + t.name());
            }
            assertEquals(t.name().matches(".*-(command|data)") && model.modules().stream()
                    .anyMatch(m -> t.name().startsWith(m + "-")),
                    allows("dynamodb:BatchGetItem", arnOf("AWS::DynamoDB::Table", t.name())), "batch reads of " + t.name());
            for (String action : List.of("dynamodb:Scan", "dynamodb:GetRecords", "dynamodb:GetShardIterator")) {
                assertFalse(allows(action, arnOf("AWS::DynamoDB::Table", t.name())), action + " on " + t.name());
            }
            if (t.stream() != null) {
                String stream = "{\"Fn::GetAtt\":[\"" + synth.logicalIdOf("AWS::DynamoDB::Table", "TableName",
                        prefix() + t.name()) + "\",\"StreamArn\"]}";
                for (String action : List.of("dynamodb:DescribeStream", "dynamodb:GetRecords",
                        "dynamodb:GetShardIterator")) {
                    assertTrue(allows(action, stream), action + " on the stream of " + t.name());
                }
            }
        }
        for (String app : CqrsWorkersStack.kclApplications(model)) {
            for (String action : List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
                    "dynamodb:DeleteItem", "dynamodb:Scan", "dynamodb:Query", "dynamodb:DescribeTable")) {
                assertTrue(allows(action, arnOf("AWS::DynamoDB::Table", app)), action + " on " + app);
            }
            assertTrue(allows("dynamodb:Query", "/index/*"), "the lease owner index");
            assertTrue(allows("dynamodb:DescribeTable", ":table/" + prefix() + app + "-CoordinatorState"));
            assertTrue(allows("dynamodb:DescribeTable", ":table/" + prefix() + app + "-WorkerMetricStats"));
        }
    }

    @Test
    void theServiceMayUseItsQueuesBucketAndStateMachines() {
        ResourceModel model = Synth.model();
        for (ResourceModel.Queue q : model.queues()) {
            String arn = arnOf("AWS::SQS::Queue", q.name());
            boolean sent = !model.workerQueues().contains(q.name());
            assertTrue(allows("sqs:ReceiveMessage", arn), "receive " + q.name());
            assertTrue(allows("sqs:DeleteMessage", arn), "delete " + q.name());
            assertEquals(sent, allows("sqs:SendMessage", arn), "send " + q.name());
            assertEquals(sent, allows("sqs:GetQueueUrl", arn), "url of " + q.name());
            // only the import action DLQ is read by the service (ImportActionRoutes: import-action-dlq)
            assertEquals(q.deadLetterName().equals(CqrsWorkersStack.IMPORT_ACTION_DLQ),
                    allows("sqs:ReceiveMessage", arnOf("AWS::SQS::Queue", q.deadLetterName())), q.deadLetterName());
        }
        assertTrue(allows("sqs:GetQueueAttributes", arnOf("AWS::SQS::Queue", "stream-dead-letter-queue")));
        assertTrue(allows("sqs:ListQueues", "*"), "Camel's aws2-sqs endpoints look their queue up");
        String objects = synth.logicalIdOf("AWS::S3::Bucket", "BucketName", prefix() + "bucket");
        assertTrue(allows("s3:GetObject", objects) && allows("s3:PutObject", objects));
        for (ResourceModel.StateMachine m : model.stateMachines()) {
            String id = synth.logicalIdOf("AWS::StepFunctions::StateMachine", "StateMachineName", prefix() + m.name());
            assertTrue(allows("states:StartExecution", "{\"Ref\":\"" + id + "\"}"), m.name());
            assertTrue(allows("states:DescribeExecution", id), m.name());
            assertTrue(allows("states:GetExecutionHistory", id), m.name());
        }
        assertTrue(allows("states:SendTaskSuccess", "*") && allows("states:SendTaskFailure", "*")
                && allows("states:ListStateMachines", "*"));
    }
}
