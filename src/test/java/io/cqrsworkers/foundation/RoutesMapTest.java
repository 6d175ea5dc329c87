package io.cqrsworkers.foundation;

import io.cqrsworkers.config.AppConfiguration;
import io.cqrsworkers.testkit.EmbeddedAws;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.model.BeanDefinition;
import org.apache.camel.model.ExpressionNode;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SendDefinition;
import org.apache.camel.model.ToDynamicDefinition;
import org.apache.camel.model.language.ExpressionDefinition;
import org.apache.camel.model.language.MethodCallExpression;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps docs/routes.md true: its table of every route (id, where it consumes from, where it sends, which beans it
 * calls) must be exactly what the service's context starts, and every route must appear in one of its diagrams.
 * When a route changes, the failure prints the table as it should now read.
 */
@EmbeddedAws
@CamelMainTest(configurationClasses = AppConfiguration.class)
class RoutesMapTest {

    private static final Path DOC = Path.of("docs", "routes.md");
    private static final String BEGIN = "<!-- routes:begin -->";
    private static final String END = "<!-- routes:end -->";

    @BeanInject
    CamelContext context;

    @Test
    void theDocumentedRoutesAreTheRoutesTheServiceStarts() throws IOException {
        String doc = Files.readString(DOC);
        String expected = table(context);
        assertThat(documentedTable(doc))
                .as("the route table of %s (between %s and %s) no longer matches the routes the service starts; "
                        + "it should read:%n%s", DOC, BEGIN, END, expected)
                .isEqualTo(expected);
    }

    @Test
    void everyRouteIsInADiagram() throws IOException {
        String diagrams = mermaidBlocks(Files.readString(DOC));
        List<Pattern> drawn = drawnPatterns(diagrams);
        List<String> missing = serviceRoutes(context).stream().map(RouteDefinition::getRouteId)
                .filter(id -> !diagrams.contains(id) && drawn.stream().noneMatch(p -> p.matcher(id).matches()))
                .toList();
        assertThat(missing).as("routes of the service drawn in no diagram of %s", DOC).isEmpty();
    }

    /** The markdown table of the service's routes, sorted by route id. */
    static String table(CamelContext context) {
        String prefix = context.resolvePropertyPlaceholders("{{app.prefix}}");
        TreeMap<String, String> rows = new TreeMap<>();
        for (RouteDefinition route : serviceRoutes(context)) {
            Set<String> to = new LinkedHashSet<>();
            Set<String> beans = new LinkedHashSet<>();
            collect(route.getOutputs(), to, beans);
            rows.put(route.getRouteId(), "| " + route.getRouteId() + " | " + cell(uri(route.getInput().getEndpointUri(), prefix))
                    + " | " + cell(to.stream().map(u -> uri(u, prefix)).distinct().toList()) + " | "
                    + cell(new ArrayList<>(beans)) + " |");
        }
        StringBuilder table = new StringBuilder("| route | from | to | beans |\n| --- | --- | --- | --- |\n");
        rows.values().forEach(row -> table.append(row).append('\n'));
        return table.toString();
    }

    private static List<RouteDefinition> serviceRoutes(CamelContext context) {
        return ((ModelCamelContext) context).getRouteDefinitions();
    }

    private static void collect(List<ProcessorDefinition<?>> outputs, Set<String> to, Set<String> beans) {
        for (ProcessorDefinition<?> output : outputs) {
            if (output instanceof SendDefinition<?> send && send.getEndpointUri() != null) {
                to.add(send.getEndpointUri());
            } else if (output instanceof ToDynamicDefinition dynamic) {
                to.add(dynamic.getUri());
            } else if (output instanceof BeanDefinition bean) {
                beans.add(bean(bean.getRef(), bean.getBeanClass() != null ? bean.getBeanClass().getName()
                        : bean.getBeanType(), bean.getMethod()));
            }
            if (output instanceof ExpressionNode node && node.getExpression() != null) {
                ExpressionDefinition expression = node.getExpression().getExpressionType() != null
                        ? node.getExpression().getExpressionType() : node.getExpression();
                if (expression instanceof MethodCallExpression call) {
                    beans.add(bean(call.getRef(), call.getBeanTypeName(), call.getMethod()));
                }
            }
            collect(output.getOutputs(), to, beans);
        }
    }

    /** {@code name.method}, without the method's parameter expressions. */
    private static String bean(String ref, String type, String method) {
        String name = ref != null ? ref : type != null ? type.substring(type.lastIndexOf('.') + 1) : "bean";
        return method == null ? name : name + "." + method.replaceAll("\\(.*", "");
    }

    /**
     * An endpoint without its options, with the environment prefix written as {@code <prefix>}, and a REST DSL
     * endpoint as its verb and path ({@code rest:post:/api:/commands/{module}} reads {@code POST /api/commands/{module}}).
     */
    private static String uri(String uri, String prefix) {
        int options = uri.indexOf('?');
        String base = options < 0 ? uri : uri.substring(0, options);
        String text = URLDecoder.decode(base, StandardCharsets.UTF_8).replace("://", ":").replace(prefix, "<prefix>");
        Matcher rest = Pattern.compile("rest:(\\w+):([^:]*)(?::(.*))?").matcher(text);
        return rest.matches() ? rest.group(1).toUpperCase() + " " + rest.group(2)
                + (rest.group(3) == null ? "" : rest.group(3)) : text;
    }

    private static String cell(String value) {
        return "`" + value.replace("|", "\\|") + "`";
    }

    private static String cell(List<String> values) {
        return values.isEmpty() ? "" : String.join(", ", values.stream().map(RoutesMapTest::cell).toList());
    }

    private static String documentedTable(String doc) {
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        assertThat(begin).as("%s in %s", BEGIN, DOC).isNotNegative();
        assertThat(end).as("%s in %s", END, DOC).isGreaterThan(begin);
        return doc.substring(begin + BEGIN.length(), end).strip() + "\n";
    }

    /**
     * The route names a diagram draws as a family: {@code command-handler.<state>} (or {@code &lt;state&gt;}) and
     * {@code api-import-*} stand for every route they match.
     */
    private static List<Pattern> drawnPatterns(String diagrams) {
        Pattern placeholder = Pattern.compile("&lt;\\w+&gt;|<\\w+>|\\*");
        Matcher families = Pattern.compile("[\\w.\\-/]*(?:(?:&lt;\\w+&gt;|<\\w+>|\\*)[\\w.\\-/]*)+")
                .matcher(diagrams);
        List<Pattern> patterns = new ArrayList<>();
        while (families.find()) {
            String family = families.group();
            if (family.length() <= 2) {
                continue;
            }
            StringBuilder regex = new StringBuilder();
            Matcher holes = placeholder.matcher(family);
            int at = 0;
            while (holes.find()) {
                regex.append(Pattern.quote(family.substring(at, holes.start()))).append("[\\w.\\-]+");
                at = holes.end();
            }
            patterns.add(Pattern.compile(regex.append(Pattern.quote(family.substring(at))).toString()));
        }
        return patterns;
    }

    private static String mermaidBlocks(String doc) {
        StringBuilder all = new StringBuilder();
        Matcher blocks = Pattern.compile("```mermaid\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        while (blocks.find()) {
            all.append(blocks.group(1));
        }
        return all.toString();
    }
}
