package io.cqrsworkers.bench;

import io.cqrsworkers.config.AppConfiguration;
import io.cqrsworkers.localaws.FreePort;
import org.apache.camel.main.Main;

import java.nio.file.Files;

/** The service on the embedded default as a benchmark runs it: free ports, a fresh data directory. */
final class BenchService {

    private BenchService() {
    }

    /** Starts the service; its business port is {@code camel.server.port}. */
    static Main start() throws Exception {
        System.setProperty("camel.server.port", String.valueOf(FreePort.find("127.0.0.1")));
        System.setProperty("camel.management.port", String.valueOf(FreePort.find("127.0.0.1")));
        for (String service : new String[] {"sqs", "s3", "dynamodb", "stepfunctions"}) {
            System.setProperty("app.local." + service + ".port", "0");
        }
        System.setProperty("app.local.data-dir", Files.createTempDirectory("cqrs-bench").toString());
        System.setProperty("camel.main.profile", "local");
        Main main = new Main();
        main.configure().addConfiguration(AppConfiguration.class);
        main.start();
        return main;
    }
}
