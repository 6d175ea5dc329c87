package io.cqrsworkers.localaws.stepfunctions;

import io.cqrsworkers.localaws.sqs.SqsEmulator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.net.URI;

/** The SQS emulator on a free port with an SqsClient for it. */
final class LocalSqs implements AutoCloseable {
    final URI endpoint;
    final SqsClient client;
    private final SqsEmulator server;

    LocalSqs() throws IOException {
        server = SqsEmulator.builder().build();
        server.start();
        endpoint = server.endpoint();
        client = SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(ApacheHttpClient.create()).build();
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }
}
