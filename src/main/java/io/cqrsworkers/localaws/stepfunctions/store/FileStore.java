package io.cqrsworkers.localaws.stepfunctions.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.stepfunctions.Json;
import io.cqrsworkers.localaws.stepfunctions.asl.Definition;
import io.cqrsworkers.localaws.stepfunctions.runtime.Engine;
import io.cqrsworkers.localaws.stepfunctions.runtime.Execution;
import io.cqrsworkers.localaws.stepfunctions.runtime.StateMachine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Machines and executions in a data directory. Each execution is a folder with {@code execution.json} (identity,
 * machine snapshot, input; the final status once it ended), {@code events.jsonl} (its history, append-only: the
 * history is the log the engine replays after a restart) and {@code tokens.jsonl} (task tokens it waits on).
 * Lines are written through to the operating system at once, so a killed process loses nothing it reported.
 */
public final class FileStore implements Store {
    private static final Logger LOG = LoggerFactory.getLogger(FileStore.class);

    private final Path machines;
    private final Path executions;
    private final Map<String, BufferedWriter> logs = new ConcurrentHashMap<>();

    public FileStore(Path dir) {
        this.machines = dir.resolve("machines");
        this.executions = dir.resolve("executions");
        try {
            Files.createDirectories(machines);
            Files.createDirectories(executions);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Step Functions data directory " + dir, e);
        }
    }

    @Override
    public void saveMachine(StateMachine m) {
        writeAtomically(machines.resolve(key(m.name()) + ".json"), machineJson(m));
    }

    @Override
    public void deleteMachine(StateMachine m) {
        try {
            Files.deleteIfExists(machines.resolve(key(m.name()) + ".json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void saveExecution(Execution e) {
        ObjectNode o = Json.object();
        o.put("arn", e.arn).put("name", e.name).put("input", e.inputText).put("startMillis", e.startMillis);
        o.set("machine", machineJson(e.machine));
        if (!e.isRunning()) {
            ObjectNode end = o.putObject("end");
            end.put("status", e.status().name()).put("output", e.outputText()).put("error", e.error())
                    .put("cause", e.cause()).put("stopMillis", e.stopMillis());
        }
        Path dir = executions.resolve(key(e.arn));
        try {
            Files.createDirectories(dir);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        writeAtomically(dir.resolve("execution.json"), o);
        if (!e.isRunning()) {
            closeLog(e.arn + "/events.jsonl");
            closeLog(e.arn + "/tokens.jsonl");
        }
    }

    @Override
    public void appendEvent(String executionArn, ObjectNode event) {
        append(executionArn, "events.jsonl", event);
    }

    @Override
    public List<ObjectNode> events(String executionArn) {
        List<ObjectNode> events = new ArrayList<>();
        try {
            for (JsonNode ev : lines(executions.resolve(key(executionArn)).resolve("events.jsonl"))) {
                events.add((ObjectNode) ev);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the history of " + executionArn, e);
        }
        return events;
    }

    @Override
    public void parkedTask(String executionArn, String stateName, String token) {
        append(executionArn, "tokens.jsonl", Json.object().put("state", stateName).put("token", token));
    }

    @Override
    public void forgetExecution(String executionArn) {
        closeLog(executionArn + "/events.jsonl");
        closeLog(executionArn + "/tokens.jsonl");
        Path dir = executions.resolve(key(executionArn));
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            LOG.warn("could not remove the files of {}: {}", executionArn, e.toString());
        }
    }

    private void append(String arn, String file, JsonNode line) {
        BufferedWriter w = logs.computeIfAbsent(arn + "/" + file, k -> {
            try {
                Path dir = executions.resolve(key(arn));
                Files.createDirectories(dir);
                return Files.newBufferedWriter(dir.resolve(file), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        synchronized (w) {
            try {
                w.write(Json.write(line));
                w.write('\n');
                w.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void closeLog(String logKey) {
        BufferedWriter w = logs.remove(logKey);
        if (w != null) {
            synchronized (w) {
                try {
                    w.close();
                } catch (IOException e) {
                    LOG.warn("closing {}", logKey, e);
                }
            }
        }
    }

    /** Loads machines and executions into {@code engine}; running executions resume from their history. */
    public void recover(Engine engine) throws IOException {
        try (Stream<Path> files = Files.list(machines)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                engine.restoreMachine(machine(Json.MAPPER.readTree(f.toFile())));
            }
        }
        List<JsonNode> metas = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(executions)) {
            for (Path d : dirs.toList()) {
                Path meta = d.resolve("execution.json");
                if (Files.exists(meta)) {
                    metas.add(Json.MAPPER.readTree(meta.toFile()));
                }
            }
        }
        metas.sort(Comparator.comparingLong(m -> m.path("startMillis").asLong()));
        for (JsonNode m : metas) {
            String arn = m.path("arn").asText();
            Path dir = executions.resolve(key(arn));
            // an ended execution's history stays on disk until it is asked for
            List<ObjectNode> events = m.has("end") ? List.of() : events(arn);
            Map<String, String> tokens = new HashMap<>();
            for (JsonNode t : lines(dir.resolve("tokens.jsonl"))) {
                tokens.put(t.path("state").asText(), t.path("token").asText());
            }
            engine.restoreExecution(machine(m.path("machine")), arn, m.path("name").asText(), m.path("input").asText(),
                    m.path("startMillis").asLong(), events, m.has("end") ? m.get("end") : null, tokens);
        }
        LOG.info("recovered {} executions from {}", metas.size(), executions);
    }

    /** The JSON lines of a log; a torn last line (the process died mid-write) is dropped. */
    private static List<JsonNode> lines(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                try {
                    out.add(Json.parse(line));
                } catch (IOException torn) {
                    LOG.warn("dropping a torn line of {}", file);
                }
            }
        }
        return out;
    }

    private static ObjectNode machineJson(StateMachine m) {
        return Json.object().put("arn", m.arn()).put("name", m.name()).put("type", m.type())
                .put("definition", m.definitionText()).put("roleArn", m.roleArn())
                .put("creationMillis", m.creationMillis()).put("updateMillis", m.updateMillis()).put("revisionId", m.revisionId());
    }

    private static StateMachine machine(JsonNode j) {
        String definition = j.path("definition").asText();
        return new StateMachine(j.path("arn").asText(), j.path("name").asText(), j.path("type").asText(), definition,
                Definition.parse(definition), j.path("roleArn").asText(null), j.path("creationMillis").asLong(),
                j.path("updateMillis").asLong(), j.path("revisionId").asText());
    }

    private static String key(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    private static void writeAtomically(Path file, JsonNode content) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, Json.write(content), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (String k : List.copyOf(logs.keySet())) {
            closeLog(k);
        }
    }
}
