package io.cqrsworkers.awsprofile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqrsworkers.chaos.ServiceProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The CloudFormation template {@code bash infra/synth.sh} writes to infra/cdk.out/. When there is none, or it is
 * older than what it is made of (infra/src, infra/resources.yaml, infra/statemachines, the application properties
 * whose settings go into the definitions), the synth runs first (it needs node 20 and npm; npm ci on first use).
 */
record SynthesizedTemplate(Path file, JsonNode json, String stackName, long synthMillis) {

    private static final Path INFRA = Path.of("infra");
    private static final List<Path> SOURCES = List.of(INFRA.resolve("src/main"), INFRA.resolve("resources.yaml"),
            INFRA.resolve("statemachines"), INFRA.resolve("pom.xml"), INFRA.resolve("cdk.json"),
            Path.of("application.properties"), Path.of("application-aws.properties"));

    static SynthesizedTemplate load(Path logDir) throws IOException, InterruptedException {
        long synthMillis = -1;
        Optional<Path> template = newestTemplate();
        FileTime sources = newest(SOURCES);
        if (template.isEmpty() || Files.getLastModifiedTime(template.get()).compareTo(sources) < 0) {
            System.out.printf("[e2e] %s: running bash infra/synth.sh%n", template.isEmpty() ? "no template in "
                    + "infra/cdk.out" : template.get() + " is older than the infra sources");
            long started = System.nanoTime();
            Path log = logDir.resolve("synth.log");
            Process synth = new ProcessBuilder("bash", INFRA.resolve("synth.sh").toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!synth.waitFor(10, TimeUnit.MINUTES)) {
                synth.destroyForcibly();
                throw new AssertionError("bash infra/synth.sh did not end within 10 minutes; " + log);
            }
            if (synth.exitValue() != 0) {
                throw new AssertionError("bash infra/synth.sh failed (exit " + synth.exitValue() + "):\n"
                        + ServiceProcess.tail(log, 40));
            }
            synthMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
            template = newestTemplate();
            if (template.isEmpty()) {
                throw new AssertionError("bash infra/synth.sh wrote no template to infra/cdk.out");
            }
        }
        Path file = template.get();
        String name = file.getFileName().toString();
        return new SynthesizedTemplate(file, new ObjectMapper().readTree(file.toFile()),
                name.substring(0, name.length() - ".template.json".length()), synthMillis);
    }

    private static Optional<Path> newestTemplate() throws IOException {
        Path out = INFRA.resolve("cdk.out");
        if (!Files.isDirectory(out)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(out)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".template.json"))
                    .max((a, b) -> modified(a).compareTo(modified(b)));
        }
    }

    private static FileTime newest(List<Path> roots) throws IOException {
        FileTime newest = FileTime.fromMillis(0);
        for (Path root : roots) {
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
