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
public record ResourceDescription(String bucket, QueueDefaults queueDefaults, List<Queue> queues) {

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
        Path file = Path.of(LOCATION);
        try (InputStream in = Files.isRegularFile(file) ? Files.newInputStream(file)
                : ResourceDescription.class.getClassLoader().getResourceAsStream(LOCATION)) {
            if (in == null) {
                throw new IllegalStateException(LOCATION + " is neither in the working directory nor on the classpath");
            }
            return yaml.readValue(in, ResourceDescription.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + LOCATION, e);
        }
    }
}
