package io.cqrsworkers.infra;

import software.constructs.Node;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * What a synth is given (CDK context, {@code -c key=value}), read once. Everything that must be known when the
 * template is written lives here; what can change at deploy time is a CloudFormation parameter of the stack.
 *
 * <ul>
 *   <li>{@code nodeEnv}, {@code appName}: the environment prefix {@code <nodeEnv>-<appName>-} of every name, as the
 *   service builds it from NODE_ENV and APP_NAME. One stack per prefix.</li>
 *   <li>{@code existingVpc=true}: use a VPC given as parameters instead of creating one.</li>
 *   <li>{@code config:<key>=<value>}: a setting used by a state machine definition ({@code ${config:key:default}}),
 *   over application.properties and application-aws.properties of the repository.</li>
 *   <li>{@code importFileRetentionDays} (30), {@code logRetentionDays} (30), {@code natGateways} (1).</li>
 * </ul>
 */
public record Settings(Path repoRoot, String nodeEnv, String appName, boolean existingVpc, int importFileRetentionDays,
                       int logRetentionDays, int natGateways, Properties serviceConfig, Node context) {

    /** Lower-case letters, digits and hyphens: the prefix is part of the bucket name. */
    private static final Pattern NAME_PART = Pattern.compile("[a-z0-9][a-z0-9-]*");

    public static Settings from(Node context) {
        Path root = repoRoot(string(context, "repoRoot", null));
        String nodeEnv = string(context, "nodeEnv", "dev");
        String appName = string(context, "appName", "cqrs");
        for (String part : new String[] {nodeEnv, appName}) {
            if (!NAME_PART.matcher(part).matches()) {
                throw new IllegalArgumentException("nodeEnv and appName must be lower-case letters, digits and '-' "
                        + "(they name the S3 bucket): " + part);
            }
        }
        Properties config = new Properties();
        for (String file : new String[] {"application.properties", "application-aws.properties"}) {
            Path path = root.resolve(file);
            if (Files.isRegularFile(path)) {
                try (Reader in = Files.newBufferedReader(path)) {
                    config.load(in);
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot read " + path, e);
                }
            }
        }
        return new Settings(root, nodeEnv, appName, Boolean.parseBoolean(string(context, "existingVpc", "false")),
                Integer.parseInt(string(context, "importFileRetentionDays", "30")),
                Integer.parseInt(string(context, "logRetentionDays", "30")),
                Integer.parseInt(string(context, "natGateways", "1")), config, context);
    }

    /** {@code <NODE_ENV>-<APP_NAME>-}, the service's app.prefix. */
    public String prefix() {
        return nodeEnv + "-" + appName + "-";
    }

    public String physical(String logicalName) {
        return prefix() + logicalName;
    }

    /**
     * A setting for {@code ${config:key}}: context {@code config:<key>}, else the service's properties files (aws
     * profile over the defaults); null when unset. A value that is itself a Camel placeholder cannot be known here.
     */
    public String config(String key) {
        Object override = context.tryGetContext("config:" + key);
        String value = override != null ? override.toString() : serviceConfig.getProperty(key);
        if (value != null && value.contains("{{")) {
            throw new IllegalStateException("Setting " + key + " = " + value + " is resolved by the service at run "
                    + "time; give the state machines a value with -c config:" + key + "=<value>");
        }
        return value;
    }

    private static String string(Node context, String key, String fallback) {
        Object value = context.tryGetContext(key);
        return value == null || value.toString().isBlank() ? fallback : value.toString().trim();
    }

    /** The repository root: the given one, else the first folder upwards from here holding infra/resources.yaml. */
    static Path repoRoot(String given) {
        if (given != null) {
            return Path.of(given).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(ResourceModel.LOCATION))) {
                return dir;
            }
        }
        throw new IllegalStateException("No " + ResourceModel.LOCATION + " in this folder or above: run from the "
                + "repository, or pass -c repoRoot=<path>");
    }
}
