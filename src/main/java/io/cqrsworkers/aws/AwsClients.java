package io.cqrsworkers.aws;

import io.cqrsworkers.embedded.EmbeddedAws;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * The SDK clients of the service, built once. Against AWS the region and credentials come from the standard
 * provider chains; against the embedded services (or any endpoint override) they point at the given endpoints.
 * With {@value SdkCallRecorder#PROPERTY} set (tests), every call is recorded ({@link SdkCallRecorder}).
 */
public final class AwsClients implements AutoCloseable {

    /** Endpoint keys, the embedded services' own ({@link EmbeddedAws}). */
    public static final String SQS = EmbeddedAws.SQS;
    public static final String S3 = EmbeddedAws.S3;
    public static final String DYNAMODB = EmbeddedAws.DYNAMODB;
    public static final String STEP_FUNCTIONS = EmbeddedAws.STEP_FUNCTIONS;

    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final Map<String, URI> endpoints;
    private final SdkHttpClient http;

    private final SqsClient plainSqs;
    private final SqsClient sqs;
    private final S3Client s3;
    private final DynamoDbClient dynamoDb;
    private final DynamoDbStreamsClient dynamoDbStreams;
    private final SfnClient sfn;

    /**
     * @param region      null for the default region provider chain
     * @param credentials null for the default credentials provider chain
     * @param endpoints   endpoint overrides by service key; services absent from the map use AWS's endpoints
     * @param sqsBatchSenders how many SQS send/delete batches may be on the wire at once ({@link BatchingSqs});
     *                        zero sends each call on its own
     */
    public AwsClients(Region region, AwsCredentialsProvider credentials, Map<String, URI> endpoints,
                      int sqsBatchSenders) {
        this(region, credentials, endpoints, sqsBatchSenders, null);
    }

    /**
     * @param s3Compatible path-style addressing and checksums only where required, for an S3-compatible store (the
     *                     embedded S3Proxy, or an endpoint set with the SDK's AWS_ENDPOINT_URL_S3, which the SDK
     *                     honours on its own but which this class cannot see); null: when {@code endpoints} has S3
     */
    public AwsClients(Region region, AwsCredentialsProvider credentials, Map<String, URI> endpoints,
                      int sqsBatchSenders, Boolean s3Compatible) {
        boolean compatible = s3Compatible != null ? s3Compatible : endpoints.containsKey(S3);
        this.region = region != null ? region : new DefaultAwsRegionProviderChain().getRegion();
        this.credentials = credentials != null ? credentials : DefaultCredentialsProvider.builder().build();
        this.endpoints = Map.copyOf(endpoints);
        this.http = ApacheHttpClient.builder()
                .maxConnections(200)
                .connectionTimeout(Duration.ofSeconds(5))
                .build();
        this.plainSqs = SdkCallRecorder.install(configure(SqsClient.builder(), SQS)).build();
        this.sqs = sqsBatchSenders > 0 ? BatchingSqs.wrap(plainSqs, sqsBatchSenders) : plainSqs;
        this.s3 = SdkCallRecorder.install(configure(S3Client.builder(), S3)
                .forcePathStyle(compatible)
                // S3-compatible stores need not support the SDK's default trailing checksums
                .requestChecksumCalculation(compatible
                        ? RequestChecksumCalculation.WHEN_REQUIRED : RequestChecksumCalculation.WHEN_SUPPORTED))
                .build();
        this.dynamoDb = SdkCallRecorder.install(configure(DynamoDbClient.builder(), DYNAMODB)).build();
        this.dynamoDbStreams = SdkCallRecorder.install(configure(DynamoDbStreamsClient.builder(), DYNAMODB)).build();
        var sfnBuilder = configure(SfnClient.builder(), STEP_FUNCTIONS);
        if (endpoints.containsKey(STEP_FUNCTIONS)) {
            // StartSyncExecution and TestState go to a "sync-" host prefix that a local endpoint does not have
            sfnBuilder.overrideConfiguration(o -> o.putAdvancedOption(
                    software.amazon.awssdk.core.client.config.SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true));
        }
        this.sfn = SdkCallRecorder.install(sfnBuilder).build();
    }

    /**
     * No credentials for the embedded services: they check no signature, and an unsigned request spares the
     * SigV4 hashing on every call.
     */
    public static AwsCredentialsProvider localCredentials() {
        return AnonymousCredentialsProvider.create();
    }

    private <B extends AwsClientBuilder<B, ?> & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, ?>> B configure(
            B builder, String service) {
        builder.region(region).credentialsProvider(credentials);
        URI endpoint = endpoints.get(service);
        // an embedded service of this JVM is called without a socket
        InProcessHttpClient inProcess = InProcessHttpClient.forEndpoint(endpoint);
        builder.httpClient(inProcess != null ? inProcess : http);
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder;
    }

    public Region region() {
        return region;
    }

    public AwsCredentialsProvider credentials() {
        return credentials;
    }

    public Map<String, URI> endpoints() {
        return endpoints;
    }

    public SqsClient sqs() {
        return sqs;
    }

    public S3Client s3() {
        return s3;
    }

    public DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    public DynamoDbStreamsClient dynamoDbStreams() {
        return dynamoDbStreams;
    }

    public SfnClient sfn() {
        return sfn;
    }

    @Override
    public void close() {
        if (sqs instanceof BatchingSqs.Batches batching) {
            batching.closeBatches();
        }
        plainSqs.close();
        s3.close();
        dynamoDb.close();
        dynamoDbStreams.close();
        sfn.close();
        http.close();
    }
}
