package io.cqrsworkers.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** How a consumer of a brand-new application (empty lease table) starts. */
class DdbStreamStartTest {

    private static final String SCHEDULER_LOGGER = "software.amazon.kinesis.coordinator.Scheduler";

    private static StreamTestKit kit;

    @BeforeAll
    static void start() throws Exception {
        kit = new StreamTestKit(null);
    }

    @AfterAll
    static void stop() {
        kit.close();
    }

    @Test
    void aNewApplicationSyncsItsShardsAtOnceInsteadOfAfterKclsRandomPause() throws Exception {
        String table = kit.createTable();
        kit.put(table, "before-start");
        List<String> schedulerLog = captureInfo(SCHEDULER_LOGGER);
        StreamTestKit.Deliveries got = new StreamTestKit.Deliveries("c1");

        CamelContext context = kit.startContext(kit.ddbStreamUri(table, "app-" + table, ""), got);
        DdbStreamConsumer consumer = StreamTestKit.consumer(context);
        AtomicReference<HealthCheck.Result> ready = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(40)).until(() -> {
            ready.set(consumer.readiness().call());
            return ready.get().getState() == HealthCheck.State.UP;
        });
        // ready means reading: the leader has handed this replica its lease (a few seconds after the worker started)
        assertThat(ready.get().getDetails()).containsEntry("leasesHeld", 1);

        // ready means initialised with the shard's lease written: the sync ran during initialisation
        assertThat(kit.ddb.scan(b -> b.tableName("app-" + table)).items())
                .anySatisfy(lease -> assertThat(lease.get("leaseKey").s()).contains("shardId-"));
        // KCL's pause (1-30 s) logs this before each 3 s sleep while the lease table is empty; it never ran
        assertThat(schedulerLog).isNotEmpty().noneMatch(line -> line.contains("Lease table is still empty"));
        assertThat(schedulerLog).anyMatch(line -> line.contains("is initiating the lease sync"));
        await().atMost(Duration.ofSeconds(30)).until(() -> got.pks().contains("before-start"));
    }

    /** Collects the INFO messages of one logger (the test configuration logs KCL at WARN only). */
    private static List<String> captureInfo(String loggerName) {
        List<String> lines = new CopyOnWriteArrayList<>();
        LoggerContext logging = (LoggerContext) LogManager.getContext(false);
        Configuration config = logging.getConfiguration();
        AbstractAppender appender = new AbstractAppender("capture-" + loggerName, null, null, true,
                Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                lines.add(event.getMessage().getFormattedMessage());
            }
        };
        appender.start();
        LoggerConfig logger = new LoggerConfig(loggerName, Level.INFO, false);
        logger.addAppender(appender, Level.INFO, null);
        config.addLogger(loggerName, logger);
        logging.updateLoggers();
        return lines;
    }
}
