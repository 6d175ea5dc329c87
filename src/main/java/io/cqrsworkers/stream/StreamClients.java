package io.cqrsworkers.stream;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.cqrsworkers.aws.InProcessHttpClient;
import io.cqrsworkers.aws.SdkCallRecorder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The AWS clients one consumer needs, built from its configuration. HTTP implementations are named explicitly
 * because several are on the classpath.
 */
final class StreamClients implements AutoCloseable {

    final Region region;
    final DynamoDbAsyncClient dynamoDb;
    final DynamoDbStreamsClient streams;
    /** Required by KCL's ConfigsBuilder; never called: metrics go to a NullMetricsFactory (KclScheduler). */
    final CloudWatchAsyncClient cloudWatch;
    private final AwsCredentialsProvider credentials;
    private SqsClient sqs;

    /** The CloudWatch client's transport, which refuses every call. */
    private static final SdkAsyncHttpClient NEVER_CALLED = new SdkAsyncHttpClient() {
        @Override
        public CompletableFuture<Void> execute(AsyncExecuteRequest request) {
            IllegalStateException refused = new IllegalStateException(
                    "CloudWatch is not called by the stream consumer: KCL's metrics go to a NullMetricsFactory");
            request.responseHandler().onError(refused);
            return CompletableFuture.failedFuture(refused);
        }

        @Override
        public void close() {
        }
    };

    StreamClients(DdbStreamConfiguration config) {
        this.region = config.getRegion() != null ? Region.of(config.getRegion())
                : new DefaultAwsRegionProviderChain().getRegion();
        this.credentials = config.getAccessKey() != null && config.getSecretKey() != null
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(config.getAccessKey(), config.getSecretKey()))
                : DefaultCredentialsProvider.builder().build();
        URI override = config.isOverrideEndpoint() && config.getUriEndpointOverride() != null
                ? URI.create(config.getUriEndpointOverride()) : null;

        // an embedded DynamoDB of this JVM is called without a socket
        InProcessHttpClient inProcess = InProcessHttpClient.forEndpoint(override);
        var ddb = DynamoDbAsyncClient.builder().region(region).credentialsProvider(credentials);
        // the adapter's recommended retry: 100 ms base, 10 s cap, 10 attempts
        BackoffStrategy backoff = BackoffStrategy.exponentialDelay(Duration.ofMillis(100), Duration.ofSeconds(10));
        var streamsRetry = AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(10)
                .backoffStrategy(backoff)
                .throttlingBackoffStrategy(backoff)
                .build();
        var str = DynamoDbStreamsClient.builder().region(region).credentialsProvider(credentials)
                .overrideConfiguration(ClientOverrideConfiguration.builder().retryStrategy(streamsRetry).build());
        // no HTTP client of its own: an idle Netty event loop would cost a thread, and its close a 2 s quiet period
        var cw = CloudWatchAsyncClient.builder().region(region).credentialsProvider(credentials)
                .httpClient(NEVER_CALLED);
        if (inProcess != null) {
            ddb.httpClient(inProcess);
            str.httpClient(inProcess);
        } else {
            ddb.httpClientBuilder(NettyNioAsyncHttpClient.builder());
            str.httpClientBuilder(ApacheHttpClient.builder());
        }
        if (override != null) {
            ddb.endpointOverride(override);
            str.endpointOverride(override);
        }
        // recorded like the service's other clients when cqrs.aws.record-calls is set (the least-privilege test)
        this.dynamoDb = SdkCallRecorder.install(ddb).build();
        this.streams = SdkCallRecorder.install(str).build();
        this.cloudWatch = SdkCallRecorder.install(cw).build();
    }

    /** An SQS client for the given endpoint (null = the region's). */
    synchronized SqsClient sqs(URI endpoint) {
        if (sqs == null) {
            var builder = SqsClient.builder().region(region).credentialsProvider(credentials);
            InProcessHttpClient inProcess = InProcessHttpClient.forEndpoint(endpoint);
            if (inProcess != null) {
                builder.httpClient(inProcess);
            } else {
                builder.httpClientBuilder(ApacheHttpClient.builder());
            }
            if (endpoint != null) {
                builder.endpointOverride(endpoint);
            }
            sqs = SdkCallRecorder.install(builder).build();
        }
        return sqs;
    }

    @Override
    public synchronized void close() {
        dynamoDb.close();
        streams.close();
        cloudWatch.close();
        if (sqs != null) {
            sqs.close();
        }
    }
}
