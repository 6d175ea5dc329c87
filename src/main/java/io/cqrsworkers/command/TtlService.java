package io.cqrsworkers.command;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The original's calculateTtl: now + days from master-data {@code MASTER#<tenant> / TTL#<table>}, or none.
 * <p>
 * A command needs up to three settings (data, history, command), which the original reads on every call. Here a
 * setting read is kept for {@code cacheFor} (app.command.ttl-settings-cache-seconds), so a changed setting applies
 * to the commands published after that delay. A failed read is not kept.
 */
public final class TtlService {

    /** The registry name of the bean. */
    public static final String BEAN = "ttlService";

    private static final Logger LOG = LoggerFactory.getLogger(TtlService.class);
    /** Beyond this many tenant/table pairs the cache starts afresh instead of growing. */
    private static final int MAX_ENTRIES = 10_000;

    private final CommandStore store;
    private final Clock clock;
    private final long cacheMillis;
    private final Map<String, Setting> settings = new ConcurrentHashMap<>();

    private record Setting(Optional<Integer> days, long readAt) {
    }

    public TtlService(CommandStore store, Clock clock, Duration cacheFor) {
        this.store = store;
        this.clock = clock;
        this.cacheMillis = cacheFor.toMillis();
    }

    /**
     * Epoch seconds, or null when the tenant has no setting for that table (or it cannot be read).
     *
     * @param tenantCode the tenant of the record's pk, its last {@code #} segment ({@link CommandKeys#tenantOf}), as
     *                   the original framework reads it; not the record's tenantCode field
     */
    public Long calculate(String module, String type, String tenantCode) {
        String table = store.tables().table(module, type);
        Optional<Integer> days;
        try {
            days = days(tenantCode, table);
        } catch (RuntimeException e) {
            LOG.warn("TTL setting for {} of tenant {} could not be read: {}", table, tenantCode, e.getMessage());
            return null;
        }
        if (days.isEmpty()) {
            return null;
        }
        if (days.get() <= 0) {
            throw new IllegalStateException("TTL days for " + table + " must be positive, got " + days.get());
        }
        return clock.millis() / 1000 + days.get() * 86_400L;
    }

    private Optional<Integer> days(String tenantCode, String table) {
        if (cacheMillis <= 0) {
            return store.ttlDays(tenantCode, table);
        }
        String key = tenantCode + '\n' + table;
        long now = clock.millis();
        Setting cached = settings.get(key);
        if (cached != null && now - cached.readAt() < cacheMillis) {
            return cached.days();
        }
        Optional<Integer> days = store.ttlDays(tenantCode, table);
        if (settings.size() >= MAX_ENTRIES) {
            settings.clear();
        }
        settings.put(key, new Setting(days, now));
        return days;
    }
}
