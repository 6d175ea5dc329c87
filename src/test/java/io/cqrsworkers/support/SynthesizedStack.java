package io.cqrsworkers.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The service's stack as {@code bash infra/synth.sh} writes it to infra/cdk.out/
 * ({@code <nodeEnv>-<appName>-cqrs-workers.template.json}). When there is none, or it is older than what it is made of
 * (the CDK app, infra/resources.yaml, the state machines, the properties files whose settings go into the
 * definitions), the synth runs first: it needs node 20 and npm (npm ci on first use), and takes infra/synth.sh's lock,
 * so tests in two JVMs never synth at once.
 *
 * @param stackName   the template's name without {@code .template.json}
 * @param prefix      the environment prefix of the stack's resource names ({@code <nodeEnv>-<appName>-})
 * @param synthMillis how long the synth took; -1 when the template was fresh
 */
public record SynthesizedStack(Path file, JsonNode json, String stackName, String prefix, long synthMillis) {

    private static final String SUFFIX = "cqrs-workers.template.json";
    private static final List<String> SOURCES = List.of("infra/src/main", "infra/resources.yaml", "infra/statemachines",
            "infra/appsync", "infra/cdk.json", "infra/pom.xml", "infra/app.sh", "infra/synth.sh",
            "application.properties", "application-aws.properties");

    /** The template under {@code repoRoot}, synthesized first when needed; the synth's output goes to {@code logDir}. */
    public static SynthesizedStack load(Path repoRoot, Path logDir) {
        try {
            Path out = repoRoot.resolve("infra/cdk.out");
            Optional<Path> template = newestTemplate(out);
            long synthMillis = -1;
            if (template.isEmpty() || modified(template.get()).compareTo(newestSource(repoRoot)) < 0) {
                long started = System.nanoTime();
                synth(repoRoot, Files.createDirectories(logDir).resolve("synth.log"));
                synthMillis = (System.nanoTime() - started) / 1_000_000;
                template = newestTemplate(out);
            }
            Path file = template.orElseThrow(() -> new AssertionError("bash infra/synth.sh wrote no *" + SUFFIX + " to " + out));
            String name = file.getFileName().toString();
            return new SynthesizedStack(file, new ObjectMapper().readTree(file.toFile()),
                    name.substring(0, name.length() - ".template.json".length()),
                    name.substring(0, name.length() - SUFFIX.length()), synthMillis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void synth(Path repoRoot, Path log) throws IOException {
        Process p = new ProcessBuilder("bash", "infra/synth.sh").directory(repoRoot.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("bash infra/synth.sh did not end within 10 minutes; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        if (p.exitValue() != 0) {
            List<String> lines = Files.readAllLines(log);
            throw new AssertionError("bash infra/synth.sh failed (exit " + p.exitValue() + "), the end of " + log + ":\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
        }
    }

    /** The newest service stack in {@code out}: with two environments synthesized, the one synthesized last. */
    private static Optional<Path> newestTemplate(Path out) throws IOException {
        if (!Files.isDirectory(out)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(out)) {
            return files.filter(f -> f.getFileName().toString().endsWith(SUFFIX))
                    .max((a, b) -> modified(a).compareTo(modified(b)));
        }
    }

    private static FileTime newestSource(Path repoRoot) throws IOException {
        FileTime newest = FileTime.fromMillis(0);
        for (String source : SOURCES) {
            Path root = repoRoot.resolve(source);
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    FileTime t = modified(f);
                    if (t.compareTo(newest) > 0) {
                        newest = t;
                    }
                }
            }
        }
        return newest;
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
