package io.cqrsworkers;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No two packages depend on each other, directly or round a longer circle, in the service or in the embedded AWS:
 * in the Step Functions engine the runtime depends on the definitions (asl), the integrations and the data layer,
 * never the other way; an emulator's entry point depends on its layers, and its layers on its model and the shared
 * {@code localaws.emulator}, {@code localaws.http} and {@code localaws.persist}; a pipeline's configuration and routes
 * depend on its beans, and those on the shared {@code aws}, {@code json}, {@code workflow}, {@code notification}.
 */
class PackageCirclesTest {

    @Test
    void noPackageHasACircle() throws IOException {
        assertThat(PackageGraph.circles(PackageGraph.of("io.cqrsworkers"))).isEmpty();
    }

    @Test
    void aCircleIsFoundAndNamed() {
        Map<String, Map<String, Set<String>>> graph = new TreeMap<>();
        graph.computeIfAbsent("a", k -> new TreeMap<>()).put("b", Set.of("A1.java"));
        graph.computeIfAbsent("b", k -> new TreeMap<>()).put("c", Set.of("B1.java"));
        graph.computeIfAbsent("c", k -> new TreeMap<>()).put("a", Set.of("C1.java"));
        graph.computeIfAbsent("c", k -> new TreeMap<>()).put("d", Set.of("C2.java"));
        assertThat(PackageGraph.circles(graph))
                .containsExactly("[a, b, c]: a -> b [A1.java]; b -> c [B1.java]; c -> a [C1.java]");
    }
}
