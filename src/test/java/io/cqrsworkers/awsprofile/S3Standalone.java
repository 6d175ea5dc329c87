package io.cqrsworkers.awsprofile;

import io.cqrsworkers.localaws.s3.S3ProxyService;

import java.nio.file.Path;

/**
 * S3 (S3Proxy on a filesystem store) alone in its process: {@code <port> <dataDir>}. The other stand-ins have their own
 * entry points (SqsEmulator, DynamoDbEmulator, StepFunctionsEmulator); S3ProxyService has none.
 */
public final class S3Standalone {

    private S3Standalone() {
    }

    public static void main(String[] args) throws Exception {
        S3ProxyService s3 = new S3ProxyService("127.0.0.1", Integer.parseInt(args[0]), Path.of(args[1]));
        s3.start();
        Runtime.getRuntime().addShutdownHook(new Thread(s3::close));
        System.out.println("S3 on " + s3.endpoint());
        Thread.currentThread().join();
    }
}
