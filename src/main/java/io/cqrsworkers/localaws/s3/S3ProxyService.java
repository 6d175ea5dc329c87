package io.cqrsworkers.localaws.s3;

import io.cqrsworkers.localaws.emulator.EmbeddedService;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/** S3 on S3Proxy with a filesystem store, so objects survive restarts and never sit in the heap. */
public final class S3ProxyService implements EmbeddedService {

    private final String host;
    private final int requestedPort;
    private final Path dataDir;
    private volatile S3Proxy proxy;
    private volatile int port;

    public S3ProxyService(String host, int port, Path dataDir) {
        this.host = host;
        this.requestedPort = port;
        this.dataDir = dataDir;
    }

    @Override
    public String name() {
        return "s3";
    }

    @Override
    public void start() throws Exception {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the S3 data folder " + dataDir, e);
        }
        S3Proxy p = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(dataDir.toAbsolutePath().toString()))
                .endpoint(URI.create("http://" + host + ":" + requestedPort))
                // like the other embedded services: any signature is accepted
                .awsAuthentication(AuthenticationType.NONE, null, null)
                .build();
        p.start();
        while (!"STARTED".equals(p.getState())) {
            Thread.sleep(5);
        }
        port = p.getPort(); // the bound one, when 0 was asked for
        proxy = p;
    }

    @Override
    public URI endpoint() {
        return URI.create("http://" + host + ":" + port);
    }

    @Override
    public boolean isRunning() {
        S3Proxy p = proxy;
        return p != null && "STARTED".equals(p.getState());
    }

    @Override
    public void close() {
        S3Proxy p = proxy;
        proxy = null;
        if (p != null) {
            try {
                p.stop();
            } catch (Exception e) {
                throw new IllegalStateException("S3Proxy did not stop", e);
            }
        }
    }
}
