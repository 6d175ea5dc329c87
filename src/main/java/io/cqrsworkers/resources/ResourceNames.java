package io.cqrsworkers.resources;

import org.apache.camel.spi.PropertiesFunction;

/**
 * Property functions that turn a logical resource name into its physical one, so routes stay free of environment
 * details: {@code aws2-sqs:{{queue:task-action-queue}}}, {@code {{table:tasks}}}, {@code {{bucket:bucket}}}.
 */
public final class ResourceNames implements PropertiesFunction {

    private final String kind;
    private final String prefix;

    public ResourceNames(String kind, String prefix) {
        this.kind = kind;
        this.prefix = prefix;
    }

    @Override
    public String getName() {
        return kind;
    }

    @Override
    public String apply(String remainder) {
        if (remainder == null || remainder.isBlank()) {
            throw new IllegalArgumentException("{{" + kind + ":...}} needs a logical name");
        }
        return ResourceDescription.physical(prefix, remainder.trim());
    }
}
