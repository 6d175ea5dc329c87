package io.cqrsworkers.infra;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code infra/resources.yaml}, the one description of the service's queues, tables, bucket and state machines, as
 * the service's own {@code io.cqrsworkers.resources.ResourceDescription} reads it (same fields, same defaults, same
 * module-table expansion). This project does not depend on the service's jar, so the few records are repeated here;
 * the names themselves are only ever written in the YAML file.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ResourceModel(String bucket, QueueDefaults queueDefaults, List<Queue> queues, List<Table> tables,
                            List<String> modules, List<ModuleTable> moduleTables, List<StateMachine> stateMachines) {

    public static final String LOCATION = "infra/resources.yaml";
    /** The dead-letter queue of queue {@code x} is {@code x-dlq} (the service's ResourceDescription.DLQ_SUFFIX). */
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

    /** {@code stream}: a StreamViewType, or null for a table without a stream. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Table(String name, String stream) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ModuleTable(String suffix, String stream) {
    }

    /** {@code definition}: path of the ASL file relative to the repository root. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record StateMachine(String name, String definition, String workerQueue) {
    }

    public static ResourceModel load(Path repoRoot) {
        Path file = repoRoot.resolve(LOCATION);
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        try {
            ResourceModel model = yaml.readValue(Files.readString(file), ResourceModel.class);
            model.validate();
            return model;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    private void validate() {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalStateException(LOCATION + ": no bucket");
        }
        if (queueDefaults == null) {
            throw new IllegalStateException(LOCATION + ": no queueDefaults");
        }
        for (StateMachine machine : stateMachines()) {
            if (machine.workerQueue() != null && queue(machine.workerQueue()) == null) {
                throw new IllegalStateException(LOCATION + ": state machine " + machine.name()
                        + " names an unknown worker queue " + machine.workerQueue());
            }
        }
    }

    @Override
    public List<Queue> queues() {
        return queues == null ? List.of() : queues;
    }

    @Override
    public List<String> modules() {
        return modules == null ? List.of() : modules;
    }

    @Override
    public List<StateMachine> stateMachines() {
        return stateMachines == null ? List.of() : stateMachines;
    }

    /** Every table, the module tables expanded to {@code <module>-<suffix>}, in the order of the file. */
    public List<Table> allTables() {
        List<Table> all = new ArrayList<>(tables == null ? List.of() : tables);
        for (String module : modules()) {
            for (ModuleTable table : moduleTables == null ? List.<ModuleTable>of() : moduleTables) {
                all.add(new Table(module + "-" + table.suffix(), table.stream()));
            }
        }
        return all;
    }

    public Queue queue(String name) {
        return queues().stream().filter(q -> q.name().equals(name)).findFirst().orElse(null);
    }

    public int visibilityTimeout(Queue queue) {
        return queue.visibilityTimeoutSeconds() != null ? queue.visibilityTimeoutSeconds()
                : queueDefaults.visibilityTimeoutSeconds();
    }

    public int maxReceiveCount(Queue queue) {
        return queue.maxReceiveCount() != null ? queue.maxReceiveCount() : queueDefaults.maxReceiveCount();
    }

    /** The queues that state machines send their worker steps to. */
    public List<String> workerQueues() {
        return stateMachines().stream().map(StateMachine::workerQueue).filter(q -> q != null).distinct().toList();
    }
}
