package io.cqrsworkers.localaws.stepfunctions.integrations;

import java.util.LinkedHashMap;
import java.util.Map;

/** The integrations configured for an engine, by service name. */
public final class Integrations {
    private final Map<String, Integration> byService = new LinkedHashMap<>();

    public Integrations add(Integration integration) {
        byService.put(integration.service(), integration);
        return this;
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
