package io.cqrsworkers.localaws.stepfunctions;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/** S3Proxy on a free port over a temporary folder, with an S3Client for it. */
final class LocalS3 implements AutoCloseable {
    final URI endpoint;
    final S3Client client;
    private final S3Proxy proxy;

    LocalS3() throws Exception {
        Path dir = Files.createTempDirectory("sfn-s3");
        proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(dir.toAbsolutePath().toString()))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.NONE, null, null)
                .build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(5);
        }
        endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        client = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(ApacheHttpClient.create()).build();
    }

    @Override
    public void close() {
        client.close();
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
