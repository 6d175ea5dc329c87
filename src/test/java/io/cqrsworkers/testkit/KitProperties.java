package io.cqrsworkers.testkit;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Ordered;
import org.apache.camel.spi.LoadablePropertiesSource;

import java.util.Properties;
import java.util.function.Predicate;

/**
 * The kit's settings as a Camel properties source, ahead of application.properties.
 * <p>
 * camel-test-main-junit5 builds the test's context from the annotation and the test instance only, and reads the
 * ports and the routes pattern before any configuration class runs, so an extension cannot hand it properties
 * directly. Camel's properties component, however, adds the source named in
 * {@code META-INF/services/org/apache/camel/properties-source-factory} to every context it initialises. The
 * extension marks its class's session as active on the JUnit thread that builds the context; this source takes a
 * snapshot of it when created, so later look-ups on any thread see the same values, and a context built outside an
 * {@code @EmbeddedAws} class gets an empty source.
 */
public final class KitProperties implements LoadablePropertiesSource, Ordered, CamelContextAware {

    private static final ThreadLocal<KitSession> ACTIVE = new ThreadLocal<>();

    private final KitSession session = ACTIVE.get();
    private final Properties properties = session == null ? new Properties() : session.properties();
    private CamelContext context;

    static void activate(KitSession session) {
        ACTIVE.set(session);
    }

    static void deactivate() {
        ACTIVE.remove();
    }

    @Override
    public String getName() {
        return "embedded-aws-test-kit";
    }

    @Override
    public String getProperty(String name) {
        return properties.getProperty(name);
    }

    @Override
    public Properties loadProperties() {
        Properties copy = new Properties();
        copy.putAll(properties);
        return copy;
    }

    @Override
    public Properties loadProperties(Predicate<String> filter) {
        Properties matching = new Properties();
        properties.stringPropertyNames().stream().filter(filter)
                .forEach(key -> matching.setProperty(key, properties.getProperty(key)));
        return matching;
    }

    @Override
    public void reloadProperties(String location) {
        // fixed for the life of the context
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST;
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    @Override
    public void setCamelContext(CamelContext context) {
        this.context = context;
        if (session != null) {
            session.attach(context);
        }
    }
}
