package io.cqrsworkers.iam;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The evaluator's IAM rules on a small template: intrinsics, wildcards, NotAction, explicit deny, default deny. */
class TaskRolePolicyTest {

    private static final String TEMPLATE = """
            {"Resources": {
              "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument":
                {"Statement": [{"Principal": {"Service": "ecs-tasks.amazonaws.com"}}]}}},
              "Q": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "p-q"}},
              "T": {"Type": "AWS::DynamoDB::Table", "Properties": {"TableName": "p-t"}},
              "M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"StateMachineName": "p-m"}},
              "TaskRolePolicy": {"Type": "AWS::IAM::Policy", "Properties": {"Roles": [{"Ref": "Role"}],
                "PolicyDocument": {"Statement": [
                  {"Effect": "Allow", "Action": ["sqs:Send*", "dynamodb:GetItem"],
                   "Resource": [{"Fn::GetAtt": ["Q", "Arn"]}, {"Fn::GetAtt": ["T", "Arn"]}]},
                  {"Effect": "Allow", "Action": "dynamodb:GetRecords", "Resource": {"Fn::GetAtt": ["T", "StreamArn"]}},
                  {"Effect": "Allow", "Action": "states:DescribeExecution", "Resource": {"Fn::Join": ["", ["arn:",
                    {"Ref": "AWS::Partition"}, ":states:", {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"},
                    ":execution:", {"Fn::Select": [6, {"Fn::Split": [":", {"Ref": "M"}]}]}, ":*"]]}},
                  {"Effect": "Allow", "NotAction": "s3:*", "Resource": "arn:aws:logs:*:*:log-group:p-?"},
                  {"Effect": "Deny", "Action": "sqs:SendMessageBatch", "Resource": "*"}
                ]}}}}}
            """;

    private final TaskRolePolicy policy = TaskRolePolicy.parse(TEMPLATE, "p-");

    @Test
    void intrinsicsWildcardsAndDefaultDeny() {
        assertThat(policy.evaluate("sqs:SendMessage", TaskRolePolicy.arn("sqs", "p-q")).allowed()).isTrue();
        assertThat(policy.evaluate("SQS:sendmessage", TaskRolePolicy.arn("sqs", "p-q")).allowed()).isTrue();
        assertThat(policy.evaluate("sqs:SendMessage", TaskRolePolicy.arn("sqs", "p-other")).allowed()).isFalse();
        assertThat(policy.evaluate("sqs:ReceiveMessage", TaskRolePolicy.arn("sqs", "p-q")).allowed()).isFalse();
        assertThat(policy.evaluate("dynamodb:GetItem", TaskRolePolicy.arn("dynamodb", "table/p-t")).allowed()).isTrue();
        assertThat(policy.evaluate("dynamodb:GetItem", TaskRolePolicy.arn("dynamodb", "table/P-T")).allowed())
                .as("resources are case-sensitive").isFalse();
        assertThat(policy.evaluate("dynamodb:GetRecords", TaskRolePolicy.arn("dynamodb",
                "table/p-t/stream/2026-01-01T00:00:00.000")).allowed()).isTrue();
        assertThat(policy.evaluate("dynamodb:GetRecords", TaskRolePolicy.arn("dynamodb", "table/p-t")).allowed())
                .isFalse();
        assertThat(policy.evaluate("states:DescribeExecution", TaskRolePolicy.arn("states", "execution:p-m:x1"))
                .allowed()).isTrue();
        assertThat(policy.evaluate("states:DescribeExecution", TaskRolePolicy.arn("states", "execution:p-n:x1"))
                .allowed()).isFalse();
    }

    @Test
    void notActionAndExplicitDeny() {
        assertThat(policy.evaluate("logs:PutLogEvents", "arn:aws:logs:r:1:log-group:p-a").allowed()).isTrue();
        assertThat(policy.evaluate("logs:PutLogEvents", "arn:aws:logs:r:1:log-group:p-ab").allowed())
                .as("? is one character").isFalse();
        assertThat(policy.evaluate("s3:GetObject", "arn:aws:logs:r:1:log-group:p-a").allowed()).isFalse();
        TaskRolePolicy.Decision denied = policy.evaluate("sqs:SendMessageBatch", TaskRolePolicy.arn("sqs", "p-q"));
        assertThat(denied.allowed()).as("an explicit deny wins over sqs:Send*").isFalse();
        assertThat(denied.reason()).startsWith("explicitly denied");
    }

    @Test
    void whatCannotBeEvaluatedFailsInsteadOfGuessing() {
        assertThatThrownBy(() -> TaskRolePolicy.parse(TEMPLATE.replace("\"Resource\": \"*\"}",
                "\"Resource\": \"*\", \"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"false\"}}}"), "p-"))
                .hasMessageContaining("Condition");
        assertThatThrownBy(() -> TaskRolePolicy.parse(TEMPLATE.replace("{\"Ref\": \"AWS::Region\"}",
                "{\"Ref\": \"SomeParameter\"}"), "p-")).hasMessageContaining("SomeParameter");
    }

    @Test
    void recordedCallsMapToTheActionsIamAuthorizes() {
        assertThat(new RecordedCall("Sqs", "DeleteMessageBatch", "local-q", "x").iam("local-", "p-"))
                .isEqualTo(new RecordedCall.IamRequest("sqs:DeleteMessage", TaskRolePolicy.arn("sqs", "p-q")));
        assertThat(new RecordedCall("DynamoDb", "TransactWriteItems.ConditionCheck", "table/local-t", "x")
                .iam("local-", "p-").action()).isEqualTo("dynamodb:ConditionCheckItem");
        assertThat(new RecordedCall("S3", "HeadObject", "local-bucket/ddb/local-t/k", "x").iam("local-", "p-"))
                .isEqualTo(new RecordedCall.IamRequest("s3:GetObject", "arn:aws:s3:::p-bucket/ddb/p-t/k"));
        assertThat(new RecordedCall("Sfn", "SendTaskSuccess", "*", "x").iam("local-", "p-").arn()).isEqualTo("*");
        assertThatThrownBy(() -> new RecordedCall("DynamoDbStreams", "GetRecords", "?", "x").iam("local-", "p-"))
                .hasMessageContaining("could not tell the resource");
    }
}
