package io.cqrsworkers.localaws.stepfunctions.integrations;

import io.cqrsworkers.localaws.stepfunctions.runtime.Engine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** The integrations configured for an engine, by service name. */
public final class Integrations {
    private final Map<String, Integration> byService = new LinkedHashMap<>();
    private final Map<String, Function<Engine, Integration>> engineBound = new LinkedHashMap<>();

    public Integrations add(Integration integration) {
        byService.put(integration.service(), integration);
        return this;
    }

    /** Adds an integration that needs the engine itself (states:startExecution). */
    public Integrations add(String service, Function<Engine, Integration> factory) {
        engineBound.put(service, factory);
        return this;
    }

    public void bind(Engine engine) {
        engineBound.forEach((service, factory) -> byService.put(service, factory.apply(engine)));
    }

    public Integration get(String service) {
        return byService.get(service);
    }

    public String names() {
        return String.join(", ", byService.keySet());
    }

    public void close() {
        byService.values().forEach(Integration::close);
    }
}
