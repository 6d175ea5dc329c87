package io.cqrsworkers.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.camel.CamelContext;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PropertyBindingSupport;
import java.util.Map;

import org.junit.jupiter.api.Test;
import software.amazon.kinesis.leases.LeaseAssignmentStrategy;

/** URI and component options reach the endpoint's configuration; bad options fail when the route is built. */
class DdbStreamEndpointTest {

    @Test
    void componentDefaultsAndUriOptions() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            DdbStreamComponent component = context.getComponent("ddb-stream", DdbStreamComponent.class);
            component.setRegion("eu-west-1");
            component.setOverrideEndpoint(true);
            component.setUriEndpointOverride("http://127.0.0.1:8000");

            DdbStreamEndpoint endpoint = context.getEndpoint("ddb-stream:orders-command?applicationName=workers"
                    + "&eventNames=insert,MODIFY&startingPosition=LATEST&batchSize=50&maxAttempts=5&retryDelayMs=10"
                    + "&deadLetterQueue=orders-dlq&leaseAssignment=WORKER_UTILIZATION_AWARE", DdbStreamEndpoint.class);
            DdbStreamConfiguration config = endpoint.getConfiguration();

            assertThat(config.getTableName()).isEqualTo("orders-command");
            assertThat(config.getRegion()).isEqualTo("eu-west-1");
            assertThat(config.getUriEndpointOverride()).isEqualTo("http://127.0.0.1:8000");
            assertThat(config.effectiveApplicationName()).isEqualTo("workers");
            assertThat(config.eventNameFilter()).containsExactlyInAnyOrder("INSERT", "MODIFY");
            assertThat(config.getStartingPosition()).isEqualTo(StartingPosition.LATEST);
            assertThat(config.getBatchSize()).isEqualTo(50);
            assertThat(config.getMaxAttempts()).isEqualTo(5);
            assertThat(config.getRetryDelayMs()).isEqualTo(10);
            assertThat(config.getDeadLetterQueue()).isEqualTo("orders-dlq");
            assertThat(config.getLeaseAssignment()).isEqualTo(LeaseAssignmentStrategy.WORKER_UTILIZATION_AWARE);
            // the component's defaults are copied, not shared
            assertThat(component.getConfiguration().getTableName()).isNull();
        }
    }

    @Test
    void componentOptionsBindLikeCamelMainProperties() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            DdbStreamComponent component = context.getComponent("ddb-stream", DdbStreamComponent.class);
            // camel.component.ddb-stream.<key>=<value> in application-local.properties
            PropertyBindingSupport.build().withIgnoreCase(true).bind(context, component, new java.util.HashMap<>(Map.of(
                    "region", "us-east-1", "override-endpoint", "true", "uri-endpoint-override", "http://127.0.0.1:4566",
                    "access-key", "local", "secret-key", "local")));
            DdbStreamConfiguration config = context.getEndpoint("ddb-stream:t", DdbStreamEndpoint.class).getConfiguration();
            assertThat(config.isOverrideEndpoint()).isTrue();
            assertThat(config.getUriEndpointOverride()).isEqualTo("http://127.0.0.1:4566");
            assertThat(config.getAccessKey()).isEqualTo("local");
        }
    }

    @Test
    void defaultApplicationNameAndAllEvents() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            DdbStreamConfiguration config = context.getEndpoint("ddb-stream:tasks", DdbStreamEndpoint.class).getConfiguration();
            assertThat(config.effectiveApplicationName()).isEqualTo("tasks-ddb-stream");
            assertThat(config.eventNameFilter()).isEmpty();
            assertThat(config.getStartingPosition()).isEqualTo(StartingPosition.TRIM_HORIZON);
        }
    }

    @Test
    void rejectsUnknownOptionsAndBadValues() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            assertThatThrownBy(() -> context.getEndpoint("ddb-stream:t?noSuchOption=1"))
                    .isInstanceOf(ResolveEndpointFailedException.class).hasMessageContaining("noSuchOption");
            assertThatThrownBy(() -> context.getEndpoint("ddb-stream:t?eventNames=UPSERT"))
                    .hasStackTraceContaining("unknown event name UPSERT");
            assertThatThrownBy(() -> context.getEndpoint("ddb-stream:t?batchSize=5000"))
                    .hasStackTraceContaining("batchSize must be 1..1000");
        }
    }

    @Test
    void backoffDoublesUpToTheCap() {
        DdbStreamConfiguration config = new DdbStreamConfiguration();
        config.setRetryDelayMs(100);
        config.setMaxRetryDelayMs(1000);
        RecordDelivery delivery = new RecordDelivery(null, config, null, null, () -> false);
        assertThat(delivery.backoff(1)).isEqualTo(100);
        assertThat(delivery.backoff(2)).isEqualTo(200);
        assertThat(delivery.backoff(4)).isEqualTo(800);
        assertThat(delivery.backoff(5)).isEqualTo(1000);
        assertThat(delivery.backoff(60)).isEqualTo(1000);
    }
}
