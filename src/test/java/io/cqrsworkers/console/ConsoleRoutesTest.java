package io.cqrsworkers.console;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** app.console.enabled decides whether the console's routes exist at all (off in the aws profile). */
class ConsoleRoutesTest {

    @Test
    void noRouteWhenTheConsoleIsOff() throws Exception {
        assertThat(routes("false")).isZero();
        assertThat(routes("true")).isGreaterThan(10);
    }

    private static int routes(String enabled) throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().addInitialProperty("app.console.enabled", enabled);
            context.addRoutes(new ConsoleRoutes());
            return context.getCamelContextExtension().getContextPlugin(org.apache.camel.model.Model.class)
                    .getRouteDefinitions().size();
        }
    }
}
