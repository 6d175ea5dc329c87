package io.cqrsworkers;

import io.cqrsworkers.embedded.EmbeddedAws;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded AWS ({@code io.cqrsworkers.localaws}) is a library of its own, left out of the container image: it
 * and the service meet only at their seam, {@code io.cqrsworkers.embedded} ({@link EmbeddedAws} and its
 * {@code ServiceLoader} provider, whose registration {@code localaws.ProviderRegistrationTest} checks). Read from
 * the main sources, as {@link PackageCirclesTest}; the tests may use both.
 */
class PackageBoundariesTest {

    private static final String ROOT = "io.cqrsworkers";
    private static final String LOCALAWS = "io.cqrsworkers.localaws";
    private static final String SEAM = "io.cqrsworkers.embedded";

    private static Map<String, Map<String, Set<String>>> graph;

    @BeforeAll
    static void read() throws IOException {
        graph = PackageGraph.of(ROOT);
    }

    @Test
    void theEmbeddedAwsUsesNothingOfTheServiceButTheSeam() {
        assertThat(edges((from, to) -> PackageGraph.within(from, LOCALAWS)
                && !PackageGraph.within(to, LOCALAWS) && !PackageGraph.within(to, SEAM))).isEmpty();
    }

    @Test
    void theServiceReachesTheEmbeddedAwsOnlyThroughTheSeam() {
        assertThat(edges((from, to) -> !PackageGraph.within(from, LOCALAWS) && PackageGraph.within(to, LOCALAWS)))
                .isEmpty();
    }

    @Test
    void theSeamUsesNothingOfTheProject() {
        assertThat(edges((from, to) -> PackageGraph.within(from, SEAM) && !PackageGraph.within(to, SEAM))).isEmpty();
    }

    @Test
    void theSeamIsKnownAndUsed() {
        assertThat(graph).containsKeys(LOCALAWS, SEAM);
        assertThat(graph.get(LOCALAWS)).containsKey(SEAM);
    }

    private static List<String> edges(BiPredicate<String, String> crossing) {
        List<String> found = new ArrayList<>();
        graph.forEach((from, uses) -> uses.forEach((to, files) -> {
            if (crossing.test(from, to)) {
                found.add(from + " -> " + to + " " + files);
            }
        }));
        return found;
    }
}
