package io.cqrsworkers.health;

import io.cqrsworkers.embedded.EmbeddedAws;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;

/** Readiness of the embedded AWS services: the service is not ready while any of them is down. */
public final class EmbeddedAwsHealthCheck extends AbstractHealthCheck {

    private final EmbeddedAws embedded;

    public EmbeddedAwsHealthCheck(EmbeddedAws embedded) {
        super("cqrs", "embedded-aws");
        this.embedded = embedded;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Map<String, Boolean> status = embedded.status();
        status.forEach((service, running) -> builder.detail(service, running ? "UP" : "DOWN"));
        if (status.values().stream().allMatch(Boolean::booleanValue)) {
            builder.up();
        } else {
            builder.message("embedded AWS service down").down();
        }
    }
}
