package io.cqrsworkers.localaws.dynamodb.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqrsworkers.localaws.dynamodb.model.DynamoDbException;
import io.cqrsworkers.localaws.dynamodb.streams.Stream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** All tables and streams of one emulator instance, and its settings. */
public final class Database {

    private static final DateTimeFormatter LABEL =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private final String region;
    private final String accountId;
    private final Duration shardRollover;
    private final Duration streamRetention;
    private final Clock clock;
    private final ConcurrentSkipListMap<String, Table> tables = new ConcurrentSkipListMap<>();
    /** Tables DeleteTable has put in DELETING for the status delay: found and listed, not served, not persisted. */
    private final ConcurrentSkipListMap<String, Table> deleting = new ConcurrentSkipListMap<>();
    private final Map<String, Stream> streams = new ConcurrentHashMap<>();
    private volatile ChangeLog changeLog = ChangeLog.NONE;

    public Database(String region, String accountId, Duration shardRollover, Duration streamRetention, Clock clock) {
        this.region = region;
        this.accountId = accountId;
        this.shardRollover = shardRollover;
        this.streamRetention = streamRetention;
        this.clock = clock;
    }

    public String region() {
        return region;
    }

    public String accountId() {
        return accountId;
    }

    private volatile long statusDelayMillis;

    /** How long a table stays CREATING, UPDATING or DELETING (AWS: seconds to minutes; default 0). */
    public void statusDelay(Duration delay) {
        this.statusDelayMillis = delay.toMillis();
    }

    public long statusDelayMillis() {
        return statusDelayMillis;
    }

    public Clock clock() {
        return clock;
    }

    public ChangeLog changeLog() {
        return changeLog;
    }

    public void changeLog(ChangeLog log) {
        this.changeLog = log;
    }

    public Table table(String name) {
        Table t = tables.get(name);
        if (t == null) {
            throw DynamoDbException.notFound("Requested resource not found");
        }
        return t;
    }

    /** The table of that name, also while it is DELETING; null when there is none. */
    public Table findTable(String name) {
        Table t = tables.get(name);
        if (t == null && !deleting.isEmpty()) {
            forgetDeleted();
            t = deleting.get(name);
        }
        return t;
    }

    /** The tables that are not being deleted (served, persisted, reaped by TTL). */
    public Collection<Table> tables() {
        return tables.values();
    }

    public ConcurrentSkipListMap<String, Table> tablesByName() {
        return tables;
    }

    /** The names ListTables answers, in order: DELETING tables too, until they are gone. */
    public NavigableSet<String> tableNames() {
        if (deleting.isEmpty()) {
            return tables.keySet();
        }
        forgetDeleted();
        NavigableSet<String> names = new TreeSet<>(tables.keySet());
        names.addAll(deleting.keySet());
        return names;
    }

    private void forgetDeleted() {
        deleting.values().removeIf(Table::deletionDone);
    }

    /**
     * DeleteTable: the table leaves the served tables at once (its stream is disabled, item operations no longer
     * find it) and, with a status delay, stays visible as DELETING to DescribeTable and ListTables until the delay
     * has passed (API reference, DeleteTable: "the specified table is in the DELETING state until DynamoDB completes
     * the deletion").
     */
    public Table beginDeleteTable(String name) {
        Table t = deleteTable(name);
        t.beginTransition(Table.DELETING);
        if (Table.DELETING.equals(t.status())) {
            deleting.put(name, t);
        }
        return t;
    }

    /** Creates and registers a table; {@code id} and {@code createdMillis} are given when restoring. */
    public Table createTable(String name, String id, Long createdMillis, KeySchema keys, JsonNode attributeDefinitions,
                             ObjectNode settings, List<IndexDef> indexes) {
        Table t = new Table(this, name, id != null ? id : UUID.randomUUID().toString(),
                createdMillis != null ? createdMillis : clock.millis(), keys, attributeDefinitions, settings);
        indexes.forEach(t::addIndex);
        if (!deleting.isEmpty()) {
            forgetDeleted();
        }
        if (deleting.containsKey(name) || tables.putIfAbsent(name, t) != null) {
            throw DynamoDbException.inUse("Table already exists: " + name);
        }
        return t;
    }

    public Table deleteTable(String name) {
        Table t = tables.remove(name);
        if (t == null) {
            throw DynamoDbException.notFound("Requested resource not found: Table: " + name + " not found");
        }
        t.stream(null);
        return t;
    }

    /** Enables a new stream on a table (label and time given when restoring). */
    public Stream enableStream(Table table, String viewType, Long createdMillis) {
        long created = createdMillis != null ? createdMillis : clock.millis();
        String label = LABEL.format(Instant.ofEpochMilli(created));
        Stream s = new Stream(table.arn() + "/stream/" + label, label, table.name(), viewType, table.keys().toJson(), created,
                shardRollover, streamRetention, (st, sh) -> changeLog.shardOpened(st, sh));
        streams.put(s.arn(), s);
        table.stream(s);
        return s;
    }

    public Stream stream(String arn) {
        Stream s = streams.get(arn);
        if (s == null) {
            throw DynamoDbException.notFound("Requested resource not found: Stream: " + arn + " not found");
        }
        return s;
    }

    public Collection<Stream> streams() {
        return streams.values();
    }

    /** Forgets disabled streams whose records have all expired. */
    public void dropExpiredStreams() {
        long cutoff = clock.millis() - streamRetention.toMillis();
        streams.values().removeIf(s -> !s.isEnabled() && s.shards(clock.millis()).isEmpty() && s.createdMillis() < cutoff);
    }
}
