package io.cqrsworkers.localaws.sqs;

import io.cqrsworkers.localaws.EmbeddedService;
import io.cqrsworkers.localaws.FreePort;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

import java.net.URI;

/** SQS on ElasticMQ, in this JVM. Queues live in memory: they are created again from the resource description. */
public final class ElasticMqService implements EmbeddedService {

    private final String host;
    private final int requestedPort;
    private final String region;
    private final String accountId;
    private volatile SQSRestServer server;
    private volatile int port;

    public ElasticMqService(String host, int port, String region, String accountId) {
        this.host = host;
        this.requestedPort = port;
        this.region = region;
        this.accountId = accountId;
    }

    @Override
    public String name() {
        return "sqs";
    }

    @Override
    public void start() {
        if (requestedPort != 0) {
            bind(requestedPort);
            return;
        }
        // ElasticMQ must know its port before binding; another process may take a free port first
        for (int attempt = 1; ; attempt++) {
            try {
                bind(FreePort.find(host));
                return;
            } catch (RuntimeException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private void bind(int candidate) {
        port = candidate;
        SQSRestServer started = SQSRestServerBuilder
                .withInterface(host)
                .withPort(port)
                // the queue URLs ElasticMQ hands out must name the address it really listens on
                .withServerAddress(new NodeAddress("http", host, port, ""))
                .withAWSRegion(region)
                .withAWSAccountId(accountId)
                .start();
        try {
            started.waitUntilStarted();
        } catch (RuntimeException e) {
            started.stopAndWait();
            throw e;
        }
        server = started;
    }

    @Override
    public URI endpoint() {
        return URI.create("http://" + host + ":" + port);
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    @Override
    public void close() {
        SQSRestServer s = server;
        server = null;
        if (s != null) {
            s.stopAndWait();
        }
    }
}
