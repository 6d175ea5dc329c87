package io.cqrsworkers.command;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;

/** The original's calculateTtl: now + days from master-data {@code MASTER#<tenant> / TTL#<table>}, or none. */
public final class TtlService {

    private static final Logger LOG = LoggerFactory.getLogger(TtlService.class);

    private final CommandStore store;
    private final Clock clock;

    public TtlService(CommandStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Epoch seconds, or null when the tenant has no setting for that table (or it cannot be read). */
    public Long calculate(String module, String type, String tenantCode) {
        String table = store.tables().table(module, type);
        Optional<Integer> days;
        try {
            days = store.ttlDays(tenantCode, table);
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
}
