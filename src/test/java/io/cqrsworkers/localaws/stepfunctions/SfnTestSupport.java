package io.cqrsworkers.localaws.stepfunctions;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;

/** A real SfnClient against an emulator, and small helpers the engine tests share. */
final class SfnTestSupport {
    static final String ROLE = "arn:aws:iam::000000000000:role/test";

    private SfnTestSupport() {
    }

    static SfnClient client(StepFunctionsEmulator sfn) {
        return SfnClient.builder()
                .endpointOverride(sfn.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(ApacheHttpClient.create())
                // StartSyncExecution and TestState carry the host prefix "sync-", which a local endpoint lacks
                .overrideConfiguration(c -> c.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true))
                .build();
    }

    static String machineArn(String name) {
        return "arn:aws:states:us-east-1:000000000000:stateMachine:" + name;
    }

    static String createMachine(SfnClient sfn, String name, String definition) {
        return sfn.createStateMachine(b -> b.name(name).definition(definition).roleArn(ROLE)).stateMachineArn();
    }

    static DescribeExecutionResponse awaitEnd(SfnClient sfn, String executionArn) {
        return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .until(() -> sfn.describeExecution(b -> b.executionArn(executionArn)), d -> d.status() != ExecutionStatus.RUNNING);
    }

    static List<HistoryEvent> history(SfnClient sfn, String executionArn) {
        return sfn.getExecutionHistoryPaginator(b -> b.executionArn(executionArn)).events().stream().toList();
    }
}
