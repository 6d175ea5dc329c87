package io.cqrsworkers.resources;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The resources of {@code infra/resources.yaml}: one description read by the local start-up and by the deployment.
 * Names here are logical; {@link #physical(String, String)} adds the environment prefix.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ResourceDescription(String bucket, QueueDefaults queueDefaults, List<Queue> queues, List<Table> tables,
                                  List<String> modules, List<ModuleTable> moduleTables,
                                  List<StateMachine> stateMachines) {

    public static final String LOCATION = "infra/resources.yaml";
    public static final String DLQ_SUFFIX = "-dlq";

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record QueueDefaults(int visibilityTimeoutSeconds, int maxReceiveCount, int messageRetentionSeconds) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Queue(String name, Integer visibilityTimeoutSeconds, Integer maxReceiveCount) {
        public String deadLetterName() {
            return name + DLQ_SUFFIX;
        }
    }

    /** A table; {@code stream} is a StreamViewType or null for none. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Table(String name, String stream) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ModuleTable(String suffix, String stream) {
    }

    /** A state machine and the path of its definition (relative to the working directory or the classpath). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record StateMachine(String name, String definition, String workerQueue) {
    }

    /** Every table, the module tables expanded ({@code <module>-<suffix>}). */
    public List<Table> allTables() {
        List<Table> all = new java.util.ArrayList<>(tables == null ? List.of() : tables);
        for (String module : modules()) {
            for (ModuleTable table : moduleTables == null ? List.<ModuleTable>of() : moduleTables) {
                all.add(new Table(moduleTable(module, table.suffix()), table.stream()));
            }
        }
        return all;
    }

    public static String moduleTable(String module, String suffix) {
        return module + "-" + suffix;
    }

    @Override
    public List<String> modules() {
        return modules == null ? List.of() : modules;
    }

    @Override
    public List<StateMachine> stateMachines() {
        return stateMachines == null ? List.of() : stateMachines;
    }

    /** Reads a file named in the description: from the working directory when present, else from the artifact. */
    public static String readText(String location) {
        Path file = Path.of(location);
        try (InputStream in = Files.isRegularFile(file) ? Files.newInputStream(file)
                : ResourceDescription.class.getClassLoader().getResourceAsStream(location)) {
            if (in == null) {
                throw new IllegalStateException(location + " is neither in the working directory nor on the classpath");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + location, e);
        }
    }

    public int visibilityTimeout(Queue queue) {
        return queue.visibilityTimeoutSeconds() != null ? queue.visibilityTimeoutSeconds()
                : queueDefaults.visibilityTimeoutSeconds();
    }

    public int maxReceiveCount(Queue queue) {
        return queue.maxReceiveCount() != null ? queue.maxReceiveCount() : queueDefaults.maxReceiveCount();
    }

    public static String physical(String prefix, String logicalName) {
        return prefix + logicalName;
    }

    /** Reads the top-level file when present (running from the repository), else the copy in the artifact. */
    public static ResourceDescription load() {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        try {
            return yaml.readValue(readText(LOCATION), ResourceDescription.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + LOCATION, e);
        }
    }
}
