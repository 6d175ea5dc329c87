package io.cqrsworkers.command;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The sync handlers of each module: Camel endpoint URIs from {@code app.modules.<module>.sync-handlers}
 * (comma-separated; default {@value #DEFAULT}, which writes the data record). Read once per module: two steps of
 * every command ask, and resolving a property costs more than the answer.
 */
public final class SyncHandlers {

    /** The registry name of the bean. */
    public static final String BEAN = "syncHandlers";

    public static final String DEFAULT = "direct:sync-data-dynamodb";

    private final Function<String, String> config;
    private final Map<String, List<String>> byModule = new ConcurrentHashMap<>();

    public SyncHandlers(Function<String, String> config) {
        this.config = config;
    }

    public List<String> of(String module) {
        return byModule.computeIfAbsent(module, this::read);
    }

    private List<String> read(String module) {
        String value = config.apply("app.modules." + module + ".sync-handlers");
        if (value == null || value.isBlank()) {
            return List.of(DEFAULT);
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
    }
}
