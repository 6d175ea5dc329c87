package io.cqrsworkers.localaws.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.InspectionLevel;
import software.amazon.awssdk.services.sfn.model.TestExecutionStatus;
import software.amazon.awssdk.services.sfn.model.TestStateResponse;
import software.amazon.awssdk.services.sfn.model.ValidationException;

import java.io.File;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.cqrsworkers.localaws.stepfunctions.SfnTestSupport.ROLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * TestState as AWS offers it: the SDK sends it to the host with the prefix {@code sync-} (the service model's
 * endpoint trait; so does StartSyncExecution). Here an SfnClient left as it is (host prefix injected) reaches the
 * engine through a resolver that knows {@code sync-localhost}, and the AWS CLI reaches it with
 * AWS_DISABLE_HOST_PREFIX_INJECTION.
 */
class TestStateTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static LocalSqs sqs;
    static StepFunctionsEmulator emulator;
    static SfnClient sfn;
    /** The host names the SDK resolved: proof the prefix was sent, not dropped. */
    static final List<String> resolved = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        sqs = new LocalSqs();
        emulator = StepFunctionsEmulator.builder().sqsEndpoint(sqs.endpoint).build();
        emulator.start();
        sfn = SfnClient.builder()
                .endpointOverride(URI.create("http://localhost:" + emulator.endpoint().getPort()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                // what an /etc/hosts line "127.0.0.1 sync-localhost" does for a whole machine
                .httpClient(ApacheHttpClient.builder().dnsResolver(host -> {
                    resolved.add(host);
                    if (host.equals("localhost") || host.equals("sync-localhost")) {
                        return new InetAddress[]{InetAddress.getLoopbackAddress()};
                    }
                    throw new UnknownHostException(host);
                }).build())
                .build();
    }

    @AfterAll
    static void stop() {
        sfn.close();
        emulator.close();
        sqs.close();
    }

    @Test
    void aPassStateWithTheHostPrefixTheSdkAdds() throws Exception {
        TestStateResponse r = sfn.testState(b -> b.roleArn(ROLE).inspectionLevel(InspectionLevel.DEBUG)
                .input("{\"order\":{\"id\":7,\"lines\":3},\"noise\":true}")
                .variables("{\"customer\":\"c-1\"}")
                .definition("""
                        {"Type":"Pass","InputPath":"$.order","Parameters":{"id.$":"$.id","who.$":"$customer"},
                         "ResultPath":"$.copy","Assign":{"seen.$":"$.id"},"Next":"Ship"}"""));
        assertThat(resolved).contains("sync-localhost");
        assertThat(r.status()).isEqualTo(TestExecutionStatus.SUCCEEDED);
        assertThat(r.nextState()).isEqualTo("Ship");
        // ResultPath puts the result into the raw input, not into what InputPath selected
        assertThat(r.output()).isEqualTo("{\"order\":{\"id\":7,\"lines\":3},\"noise\":true,\"copy\":{\"id\":7,\"who\":\"c-1\"}}");
        assertThat(r.inspectionData().input()).isEqualTo("{\"order\":{\"id\":7,\"lines\":3},\"noise\":true}");
        assertThat(r.inspectionData().afterInputPath()).isEqualTo("{\"id\":7,\"lines\":3}");
        assertThat(r.inspectionData().afterParameters()).isEqualTo("{\"id\":7,\"who\":\"c-1\"}");
        assertThat(r.inspectionData().result()).isEqualTo("{\"id\":7,\"who\":\"c-1\"}");
        assertThat(r.inspectionData().afterResultPath()).isEqualTo(r.output());
        assertThat(MAPPER.readTree(r.inspectionData().variables())).isEqualTo(MAPPER.readTree("{\"customer\":\"c-1\",\"seen\":7}"));
        // INFO (the default) shows no inspection data
        TestStateResponse info = sfn.testState(b -> b.roleArn(ROLE).input("{}").definition("{\"Type\":\"Pass\",\"End\":true}"));
        assertThat(info.inspectionData()).isNull();
        assertThat(info.output()).isEqualTo("{}");
    }

    @Test
    void aTaskStateCallingSqs() throws Exception {
        String queue = sqs.client.createQueue(b -> b.queueName("test-state")).queueUrl();
        TestStateResponse r = sfn.testState(b -> b.roleArn(ROLE).inspectionLevel(InspectionLevel.TRACE)
                .input("{\"body\":\"hello\"}")
                .definition("""
                        {"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage",
                         "Parameters":{"QueueUrl":"%s","MessageBody.$":"$.body"},
                         "ResultSelector":{"id.$":"$.MessageId"},"ResultPath":"$.sent","End":true}""".formatted(queue)));
        assertThat(r.status()).isEqualTo(TestExecutionStatus.SUCCEEDED);
        assertThat(MAPPER.readTree(r.inspectionData().afterParameters()))
                .isEqualTo(MAPPER.readTree("{\"QueueUrl\":\"" + queue + "\",\"MessageBody\":\"hello\"}"));
        JsonNode result = MAPPER.readTree(r.inspectionData().result());
        assertThat(result.path("MessageId").asText()).isNotEmpty();
        assertThat(MAPPER.readTree(r.inspectionData().afterResultSelector()).path("id").asText()).isEqualTo(result.path("MessageId").asText());
        assertThat(MAPPER.readTree(r.output()).path("sent").path("id").asText()).isEqualTo(result.path("MessageId").asText());
        assertThat(sqs.client.receiveMessage(b -> b.queueUrl(queue)).messages()).extracting(m -> m.body()).containsExactly("hello");
    }

    @Test
    void anErrorARetryMatchesIsRetriableAndACaughtOneNamesItsCatch() {
        String failing = """
                {"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f"},
                 "Retry":[{"ErrorEquals":["States.Timeout"]},{"ErrorEquals":["States.Runtime"],"IntervalSeconds":3}],
                 %s"End":true}""";
        TestStateResponse retriable = sfn.testState(b -> b.roleArn(ROLE).inspectionLevel(InspectionLevel.DEBUG)
                .definition(failing.formatted("")));
        assertThat(retriable.status()).isEqualTo(TestExecutionStatus.RETRIABLE);
        assertThat(retriable.error()).isEqualTo("States.Runtime");
        assertThat(retriable.inspectionData().errorDetails().retryIndex()).isEqualTo(1);
        assertThat(retriable.inspectionData().errorDetails().retryBackoffIntervalSeconds()).isEqualTo(3);

        TestStateResponse caught = sfn.testState(b -> b.roleArn(ROLE).inspectionLevel(InspectionLevel.DEBUG).definition("""
                {"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f"},
                 "Catch":[{"ErrorEquals":["States.Timeout"],"Next":"A"},{"ErrorEquals":["States.Runtime"],"Next":"B"}],"End":true}"""));
        assertThat(caught.status()).isEqualTo(TestExecutionStatus.CAUGHT_ERROR);
        assertThat(caught.nextState()).isEqualTo("B");
        assertThat(caught.inspectionData().errorDetails().catchIndex()).isEqualTo(1);
    }

    @Test
    void anUnknownInspectionLevelIsAValidationError() {
        assertThatThrownBy(() -> sfn.testState(b -> b.roleArn(ROLE).inspectionLevel("LOUD").definition("{\"Type\":\"Pass\",\"End\":true}")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("Value 'LOUD' at 'inspectionLevel' failed to satisfy constraint: Member must satisfy enum value set: [INFO, DEBUG, TRACE]");
    }

    @Test
    void theAwsCliReachesTestStateWithoutTheHostPrefix() throws Exception {
        assumeTrue(onPath("aws"), "the AWS CLI is not installed");
        ProcessBuilder pb = new ProcessBuilder("aws", "stepfunctions", "test-state", "--endpoint-url", emulator.endpoint().toString(),
                "--region", "us-east-1", "--output", "json", "--role-arn", ROLE, "--inspection-level", "DEBUG",
                "--input", "{\"a\":1}", "--definition", "{\"Type\":\"Pass\",\"Result\":{\"b\":2},\"ResultPath\":\"$.r\",\"End\":true}");
        pb.environment().putAll(Map.of("AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local",
                "AWS_DISABLE_HOST_PREFIX_INJECTION", "true", "AWS_CONFIG_FILE", "/dev/null", "AWS_SHARED_CREDENTIALS_FILE", "/dev/null"));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        JsonNode r = MAPPER.readTree(out);
        assertThat(r.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(r.path("output").asText()).isEqualTo("{\"a\":1,\"r\":{\"b\":2}}");
        assertThat(r.path("inspectionData").path("afterResultPath").asText()).isEqualTo("{\"a\":1,\"r\":{\"b\":2}}");
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, command).canExecute()) {
                return true;
            }
        }
        return false;
    }
}
