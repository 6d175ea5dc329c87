package io.cqrsworkers;

import io.cqrsworkers.config.AppConfiguration;
import io.cqrsworkers.config.Profiles;
import org.apache.camel.main.Main;

import java.io.File;

/**
 * Starts the service: camel-main with the top-level application.properties and routes/*.camel.yaml when run from the
 * repository, or the copies packaged inside the artifact when those folders are absent (a container, say).
 */
public final class Application {

    private static final String[] SERVER_KEYS =
            {"camel.server.host", "camel.server.port", "camel.management.host", "camel.management.port"};

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        // Chosen before the first logger exists, so the log format can follow the profile.
        String profile = Profiles.active();
        System.setProperty("log.format", "aws".equals(profile) ? "json" : "text");

        Main main = new Main();
        main.addInitialProperty("camel.main.profile", profile);
        if (new File("application.properties").isFile()) {
            // the profile's file first: it wins over the common one, as in camel-main's own default
            main.setPropertyPlaceholderLocations("file:application-" + profile + ".properties;optional=true,"
                    + "file:application.properties");
        }
        if (!new File("routes").isDirectory()) {
            main.addOverrideProperty("camel.main.routes-include-pattern", "classpath:routes/*.camel.yaml");
        }
        // camel-main's own servers take CAMEL_SERVER_PORT and friends from the environment, but the properties
        // component does not resolve camel.* keys from it: without this the service would mount its routes on the
        // port of application.properties while the server listens on the environment's
        for (String key : SERVER_KEYS) {
            String env = System.getenv(key.toUpperCase(java.util.Locale.ROOT).replace('.', '_'));
            if (env != null && System.getProperty(key) == null) {
                main.addOverrideProperty(key, env);
            }
        }
        main.configure().addConfiguration(AppConfiguration.class);
        int status;
        try {
            status = main.run(args);
        } catch (Throwable e) {
            // a failed start must end the process, whatever non-daemon threads the embedded services left behind
            org.slf4j.LoggerFactory.getLogger(Application.class).error("The service did not start: {}", e.getMessage(), e);
            status = 1;
        }
        System.exit(status);
    }
}
