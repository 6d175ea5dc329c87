package io.cqrsworkers.support;


import java.nio.file.Path;

/**
 * Puts the service of a {@code @CamelMainTest} on free ports and a throw-away data folder, so tests never collide
 * with a running service or with each other. System properties win over application.properties in camel-main;
 * call {@link #apply()} from a static initialiser, before the test's Camel context is built.
 * <p>
 * The properties stay set for the rest of the JVM. New tests use {@link io.cqrsworkers.testkit.EmbeddedAws} instead,
 * which sets none and gives each test class its own ports and data folder.
 */
public final class TestEnvironment {

    private static boolean applied;

    private TestEnvironment() {
    }

    public static synchronized void apply() {
        if (applied) {
            return;
        }
        applied = true;
        System.setProperty("camel.server.port", String.valueOf(FreePort.find("127.0.0.1")));
        System.setProperty("camel.management.port", String.valueOf(FreePort.find("127.0.0.1")));
        for (String service : new String[] {"sqs", "s3", "dynamodb", "stepfunctions"}) {
            System.setProperty("app.local." + service + ".port", "0");
        }
        System.setProperty("app.local.data-dir",
                Path.of("target", "local-aws-test-" + ProcessHandle.current().pid()).toString());
        System.setProperty("camel.main.routes-include-pattern",
                "file:routes/*.camel.yaml,classpath:test-routes/*.camel.yaml");
    }

    public static int managementPort() {
        return Integer.getInteger("camel.management.port");
    }

    public static int serverPort() {
        return Integer.getInteger("camel.server.port");
    }
}
