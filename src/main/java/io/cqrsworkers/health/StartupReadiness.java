package io.cqrsworkers.health;

import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Two things about the start: a readiness check that is DOWN until the Camel context has fully started (with the
 * registry's initial state UP, a route still starting would otherwise count as ready), and the line
 * "ready in N ms", logged when the same readiness checks {@code /observe/health/ready} runs are all UP, N counted
 * from the JVM's start.
 */
public final class StartupReadiness extends AbstractHealthCheck implements ExtendedStartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(StartupReadiness.class);
    private static final long POLL_MS = 50;
    private static final long REPORT_EVERY_MS = 10_000;

    private volatile boolean started;
    private volatile long readyAtMillis;

    public StartupReadiness() {
        super("cqrs", "service-started");
    }

    /** Registers the check and the start-up listener. */
    public static StartupReadiness install(CamelContext context) throws Exception {
        StartupReadiness readiness = new StartupReadiness();
        HealthCheckRegistry.get(context).register(readiness);
        context.addStartupListener(readiness);
        return readiness;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (started) {
            builder.up();
        } else {
            builder.message("Camel context is starting").down();
        }
    }

    /** Milliseconds from the JVM's start to the first time every readiness check was UP; 0 until then. */
    public long readyAfterMillis() {
        return readyAtMillis;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        started = true;
        Thread watch = new Thread(() -> watch(context), "readiness-watch");
        watch.setDaemon(true);
        watch.start();
    }

    private void watch(CamelContext context) {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        long nextReport = System.currentTimeMillis() + REPORT_EVERY_MS;
        try {
            while (!context.isStopping() && !context.isStopped()) {
                Collection<HealthCheck.Result> results = HealthCheckHelper.invokeReadiness(context);
                String down = results.stream().filter(r -> r.getState() != HealthCheck.State.UP)
                        .map(r -> r.getCheck().getId()).sorted().collect(Collectors.joining(", "));
                long now = System.currentTimeMillis();
                if (down.isEmpty()) {
                    readyAtMillis = now - jvmStart;
                    LOG.info("ready in {} ms (JVM start to every readiness check UP)", readyAtMillis);
                    return;
                }
                if (now >= nextReport) {
                    LOG.info("not ready after {} ms; waiting for {}", now - jvmStart, down);
                    nextReport = now + REPORT_EVERY_MS;
                }
                Thread.sleep(POLL_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
