package io.cqrsworkers.testkit;

import io.cqrsworkers.support.FreePort;
import org.apache.camel.CamelContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The environment of one test class: its data folder, its ports, the properties that put the service there, and
 * the Camel context that was built with them (attached by {@link KitProperties} when the context reads them).
 */
final class KitSession {

    private static final String[] SERVICES = {"sqs", "s3", "dynamodb", "stepfunctions"};

    private final Class<?> testClass;
    private final Path dataDir;
    private final int serverPort;
    private final int managementPort;
    private final Properties properties = new Properties();
    private volatile CamelContext context;

    KitSession(Class<?> testClass, EmbeddedAws settings) {
        this.testClass = testClass;
        try {
            Path root = Files.createDirectories(Path.of("target", "embedded-aws"));
            this.dataDir = Files.createTempDirectory(root, testClass.getSimpleName() + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data folder of " + testClass.getName(), e);
        }
        this.serverPort = FreePort.find("127.0.0.1");
        this.managementPort = FreePort.find("127.0.0.1");

        properties.setProperty("app.local.enabled", "true");
        properties.setProperty("app.local.data-dir", dataDir.toString());
        for (String service : SERVICES) {
            properties.setProperty("app.local." + service + ".port", "0");
        }
        properties.setProperty("camel.server.port", String.valueOf(serverPort));
        properties.setProperty("camel.management.port", String.valueOf(managementPort));
        List<String> routes = new ArrayList<>(List.of("file:routes/*.camel.yaml"));
        routes.addAll(List.of(settings == null ? new String[0] : settings.routes()));
        properties.setProperty("camel.main.routes-include-pattern", String.join(",", routes));
        for (String setting : settings == null ? new String[0] : settings.properties()) {
            int eq = setting.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("@EmbeddedAws(properties) takes key=value, not " + setting);
            }
            properties.setProperty(setting.substring(0, eq).trim(), setting.substring(eq + 1).trim());
        }
        runtimeProperties(testClass).forEach(properties::setProperty);
        // camel-main and the properties component let system properties win by default; here they only fill gaps,
        // so a class on the kit sees its own settings whatever the JVM was started with (-D...).
        properties.setProperty("camel.main.auto-configuration-system-properties-enabled", "false");
        properties.setProperty("camel.component.properties.system-properties-mode", "1");
    }

    /** What the test class's {@link EmbeddedAws.RuntimeProperties} methods return, superclasses' first. */
    private static Map<String, String> runtimeProperties(Class<?> testClass) {
        List<Class<?>> types = new ArrayList<>();
        for (Class<?> type = testClass; type != null && type != Object.class; type = type.getSuperclass()) {
            types.add(0, type);
        }
        Map<String, String> found = new LinkedHashMap<>();
        for (Class<?> type : types) {
            for (Method method : type.getDeclaredMethods()) {
                if (!method.isAnnotationPresent(EmbeddedAws.RuntimeProperties.class)) {
                    continue;
                }
                if (!Modifier.isStatic(method.getModifiers()) || method.getParameterCount() != 0
                        || !Map.class.isAssignableFrom(method.getReturnType())) {
                    throw new IllegalStateException("@EmbeddedAws.RuntimeProperties goes on a static method without "
                            + "parameters returning Map<String, String>, not " + method);
                }
                try {
                    method.setAccessible(true);
                    ((Map<?, ?>) method.invoke(null)).forEach((k, v) -> found.put(String.valueOf(k), String.valueOf(v)));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read the settings of " + method, e);
                }
            }
        }
        return found;
    }

    Path dataDir() {
        return dataDir;
    }

    int serverPort() {
        return serverPort;
    }

    int managementPort() {
        return managementPort;
    }

    Properties properties() {
        return properties;
    }

    void attach(CamelContext context) {
        this.context = context;
    }

    /** The Camel context of the test (the latest one: with a test instance per method each test builds its own). */
    CamelContext context() {
        CamelContext current = context;
        if (current == null) {
            throw new IllegalStateException("No Camel context was built on the embedded AWS of " + testClass.getName()
                    + " yet: annotate the class with @CamelMainTest(configurationClasses = AppConfiguration.class) "
                    + "next to @EmbeddedAws, and use the client from a test or @BeforeEach method");
        }
        return current;
    }
}
