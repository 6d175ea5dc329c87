package io.cqrsworkers.foundation;

import io.cqrsworkers.config.AppConfiguration;
import io.cqrsworkers.testkit.EmbeddedAws;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.model.BeanDefinition;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SendDefinition;
import org.apache.camel.model.ToDynamicDefinition;
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
        List<String> missing = serviceRoutes(context).stream().map(RouteDefinition::getRouteId)
                .filter(id -> !diagrams.contains(id)).toList();
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
                String name = bean.getRef() != null ? bean.getRef()
                        : bean.getBeanType() != null ? bean.getBeanType().substring(bean.getBeanType().lastIndexOf('.') + 1)
                        : bean.getBeanClass() != null ? bean.getBeanClass().getSimpleName() : "bean";
                beans.add(bean.getMethod() != null ? name + "." + bean.getMethod() : name);
            }
            collect(output.getOutputs(), to, beans);
        }
    }

    /** An endpoint without its options, with the environment prefix written as {@code <prefix>}. */
    private static String uri(String uri, String prefix) {
        int options = uri.indexOf('?');
        String base = options < 0 ? uri : uri.substring(0, options);
        return URLDecoder.decode(base, StandardCharsets.UTF_8).replace("://", ":").replace(prefix, "<prefix>");
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

    private static String mermaidBlocks(String doc) {
        StringBuilder all = new StringBuilder();
        Matcher blocks = Pattern.compile("```mermaid\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        while (blocks.find()) {
            all.append(blocks.group(1));
        }
        return all.toString();
    }
}
