package io.cqrsworkers.localaws;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No two packages of the embedded Step Functions depend on each other, directly or round a longer circle: the
 * runtime depends on the definitions (asl), the integrations and the data layer, never the other way. Read from the
 * sources (imports and fully qualified names), so it needs no library and names the files that close a circle.
 */
class PackageCirclesTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    /** A reference to a class of the project: lower-case package parts, then an upper-case class name. */
    private static final Pattern REFERENCE = Pattern.compile("\\b(io\\.cqrsworkers(?:\\.[a-z]\\w*)*)\\.[A-Z]");
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

    @Test
    void theStepFunctionsEngineHasNoPackageCircle() throws IOException {
        assertThat(circles("io.cqrsworkers.localaws.stepfunctions")).isEmpty();
    }

    @Test
    void aCircleIsFoundAndNamed() {
        Map<String, Map<String, Set<String>>> graph = new TreeMap<>();
        graph.computeIfAbsent("a", k -> new TreeMap<>()).put("b", Set.of("A1.java"));
        graph.computeIfAbsent("b", k -> new TreeMap<>()).put("c", Set.of("B1.java"));
        graph.computeIfAbsent("c", k -> new TreeMap<>()).put("a", Set.of("C1.java"));
        graph.computeIfAbsent("c", k -> new TreeMap<>()).put("d", Set.of("C2.java"));
        assertThat(circles(graph)).containsExactly("[a, b, c]: a -> b [A1.java]; b -> c [B1.java]; c -> a [C1.java]");
    }

    /** The circles among the packages under {@code root}, each with the edges that close it and their files. */
    static List<String> circles(String root) throws IOException {
        Map<String, Map<String, Set<String>>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES.resolve(root.replace('.', '/')))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String text = COMMENT.matcher(Files.readString(file)).replaceAll("");
                Matcher p = PACKAGE.matcher(text);
                if (!p.find()) {
                    continue;
                }
                String from = p.group(1);
                Matcher r = REFERENCE.matcher(text);
                while (r.find()) {
                    String to = r.group(1);
                    if (!to.equals(from) && (to.equals(root) || to.startsWith(root + "."))) {
                        graph.computeIfAbsent(from, k -> new TreeMap<>())
                                .computeIfAbsent(to, k -> new TreeSet<>()).add(file.getFileName().toString());
                    }
                }
            }
        }
        return circles(graph);
    }

    /** Tarjan's strongly connected components: every component of more than one package is a circle. */
    static List<String> circles(Map<String, Map<String, Set<String>>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        List<String> found = new ArrayList<>();
        for (String node : graph.keySet()) {
            if (!index.containsKey(node)) {
                visit(node, graph, index, low, stack, found);
            }
        }
        return found;
    }

    private static void visit(String node, Map<String, Map<String, Set<String>>> graph, Map<String, Integer> index,
                              Map<String, Integer> low, Deque<String> stack, List<String> found) {
        index.put(node, index.size());
        low.put(node, index.get(node));
        stack.push(node);
        for (String next : graph.getOrDefault(node, Map.of()).keySet()) {
            if (!index.containsKey(next)) {
                visit(next, graph, index, low, stack, found);
                low.put(node, Math.min(low.get(node), low.get(next)));
            } else if (stack.contains(next)) {
                low.put(node, Math.min(low.get(node), index.get(next)));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            TreeSet<String> component = new TreeSet<>();
            String member;
            do {
                member = stack.pop();
                component.add(member);
            } while (!member.equals(node));
            if (component.size() > 1) {
                List<String> edges = new ArrayList<>();
                for (String from : component) {
                    graph.getOrDefault(from, Map.of()).forEach((to, files) -> {
                        if (component.contains(to)) {
                            edges.add(from + " -> " + to + " " + files);
                        }
                    });
                }
                found.add(component + ": " + String.join("; ", edges));
            }
        }
    }
}
