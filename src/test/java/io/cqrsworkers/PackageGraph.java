package io.cqrsworkers;

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

/**
 * Which package of the project uses which, read from the main sources (imports, fully qualified names, class names in
 * strings), so it needs no library and names the files behind each edge.
 */
final class PackageGraph {

    static final Path SOURCES = Path.of("src/main/java");

    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    /** A reference to a class of the project: lower-case package parts, then an upper-case class name. */
    private static final Pattern REFERENCE = Pattern.compile("\\b(io\\.cqrsworkers(?:\\.[a-z]\\w*)*)\\.[A-Z]");
    /** A whole package imported. */
    private static final Pattern WILDCARD = Pattern.compile("^import (io\\.cqrsworkers(?:\\.[a-z]\\w*)*)\\.\\*;",
            Pattern.MULTILINE);
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

    private PackageGraph() {
    }

    /** Package -> the packages it uses -> the files that use them, for the packages under {@code root}. */
    static Map<String, Map<String, Set<String>>> of(String root) throws IOException {
        Map<String, Map<String, Set<String>>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES.resolve(root.replace('.', '/')))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String text = COMMENT.matcher(Files.readString(file)).replaceAll("");
                Matcher p = PACKAGE.matcher(text);
                if (!p.find()) {
                    continue;
                }
                String from = p.group(1);
                graph.computeIfAbsent(from, k -> new TreeMap<>());
                for (Pattern pattern : List.of(REFERENCE, WILDCARD)) {
                    Matcher r = pattern.matcher(text);
                    while (r.find()) {
                        String to = r.group(1);
                        if (!to.equals(from) && within(to, root)) {
                            graph.get(from).computeIfAbsent(to, k -> new TreeSet<>())
                                    .add(SOURCES.relativize(file).toString());
                        }
                    }
                }
            }
        }
        return graph;
    }

    /** True for {@code root} itself and the packages under it. */
    static boolean within(String pkg, String root) {
        return pkg.equals(root) || pkg.startsWith(root + ".");
    }

    /** The circles of the graph, each with the edges that close it and their files (Tarjan's components). */
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
