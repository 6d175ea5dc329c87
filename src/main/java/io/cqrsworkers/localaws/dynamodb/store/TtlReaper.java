package io.cqrsworkers.localaws.dynamodb.store;

import io.cqrsworkers.localaws.dynamodb.model.Av;
import io.cqrsworkers.localaws.dynamodb.model.Item;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Deletes items whose TTL attribute (a number, epoch seconds) lies in the past, as DynamoDB's background TTL process
 * does; the deletions appear in the stream as REMOVE records made by the service.
 */
public final class TtlReaper implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(TtlReaper.class);

    private final Database db;

    public TtlReaper(Database db) {
        this.db = db;
    }

    @Override
    public void run() {
        try {
            reap();
        } catch (RuntimeException e) {
            LOG.warn("TTL pass failed", e);
        } finally {
            db.changeLog().sync();
        }
    }

    /** One pass over every table with TTL enabled; returns the number of items deleted. */
    public int reap() {
        int deleted = 0;
        BigDecimal now = BigDecimal.valueOf(db.clock().millis() / 1000);
        for (Table table : db.tables()) {
            String attribute = table.ttlAttribute();
            if (attribute == null) {
                continue;
            }
            for (Map.Entry<RowKey, Item> e : table.items().entrySet()) {
                if (expired(e.getValue(), attribute, now)) {
                    table.lock().lock();
                    try {
                        Item current = table.items().get(e.getKey());
                        if (current != null && expired(current, attribute, now)) {
                            table.commit(e.getKey(), current, null, true);
                            deleted++;
                        }
                    } finally {
                        table.lock().unlock();
                    }
                }
            }
        }
        return deleted;
    }

    private static boolean expired(Item item, String attribute, BigDecimal now) {
        Av v = item.get(attribute);
        return v != null && v.type() == Av.Type.N && v.n().compareTo(now) < 0;
    }
}
